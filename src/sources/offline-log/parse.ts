// Reads the offline-media log text (JSON Lines or CSV) into validated events plus line-numbered issues.
import { type Problem, sourceIssue } from '../../issues.js';
import type { SourceIssue } from '../../model.js';
import { type JsonLinesResult, parseJsonLines } from '../common/jsonl.js';
import { type CsvResult, parseCsv } from './csv.js';
import { checkMediaRecord, type LoggedEvent } from './events.js';

export type MediaLogFormat = 'jsonl' | 'csv';

export interface ParsedMediaLog {
  /** Valid events in file order. */
  events: LoggedEvent[];
  /** B321_BAD_LINE warnings, one per skipped line; B321_CSV_QUOTE for a CSV row read despite broken quoting. */
  issues: SourceIssue[];
  /** An unterminated last line skipped as "being written" (not an issue). */
  pendingLine?: number;
}

/** The format a log path implies when none is configured: `.csv` is CSV, anything else JSON Lines. */
export function formatForPath(path: string): MediaLogFormat {
  return path.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl';
}

export function parseMediaLog(text: string, format: MediaLogFormat, path: string): ParsedMediaLog {
  const raw: JsonLinesResult & Partial<CsvResult> = format === 'csv' ? parseCsv(text) : parseJsonLines(text);
  const issues: SourceIssue[] = raw.bad.map(({ line, why }) => badLine(path, line, why));
  for (const { line, why } of raw.quoting ?? []) {
    issues.push(sourceIssue('B321_CSV_QUOTE', why, { severity: 'warning', path, line }));
  }
  const events: LoggedEvent[] = [];
  for (const { line, value } of raw.records) {
    const checked = checkMediaRecord(value);
    if (checked.ok) events.push({ ...checked.event, line });
    else issues.push(badLine(path, line, checked.why));
  }
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const parsed: ParsedMediaLog = { events, issues };
  if (raw.pendingLine !== undefined) parsed.pendingLine = raw.pendingLine;
  return parsed;
}

function badLine(path: string, line: number, why: Problem): SourceIssue {
  return sourceIssue('B321_BAD_LINE', why, { severity: 'warning', path, line });
}
