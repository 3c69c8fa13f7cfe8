// Splits a JSON Lines log into parsed records with their line numbers, tolerating a half-written last line.
import type { Problem } from '../../issues.js';

export interface NumberedRecord {
  /** 1-based physical line number. */
  line: number;
  value: Record<string, unknown>;
}

export interface JsonLinesResult {
  records: NumberedRecord[];
  bad: { line: number; why: Problem }[];
  /**
   * The line number of an unterminated last line that is not valid JSON: a writer is (or was) in the
   * middle of appending it, so it is skipped without a warning.
   */
  pendingLine?: number;
}

/**
 * Blank lines are skipped silently: the appender may start with "\n" to close a truncated line, and
 * two appenders racing on that produce an empty line, which must not become a warning.
 */
export function parseJsonLines(text: string): JsonLinesResult {
  const result: JsonLinesResult = { records: [], bad: [] };
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = body.split('\n');
  const terminated = body.endsWith('\n');
  // split() leaves '' after a final "\n"; that is not a line.
  if (terminated) lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    const isLast = index === lines.length - 1;
    const textLine = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (textLine.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(textLine);
    } catch (error) {
      if (isLast && !terminated) result.pendingLine = line;
      else result.bad.push({ line, why: { problem: 'line.not-json', detail: (error as Error).message } });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      result.bad.push({ line, why: { problem: 'line.not-object' } });
      return;
    }
    result.records.push({ line, value: value as Record<string, unknown> });
  });
  return result;
}
