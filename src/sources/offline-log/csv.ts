// RFC 4180 CSV: reads the media log's CSV form (header line, quoted fields) and writes rows for the appender.
import type { JsonLinesResult } from '../jsonl.js';

interface RawRow {
  /** The physical line the row starts on (a quoted field may span lines). */
  line: number;
  fields: string[];
  /** False when the text ended before the row's line break (a half-written last row, or an open quote). */
  terminated: boolean;
}

/** Splits text into rows of fields: `""` inside quotes is one quote; CRLF and LF both end a row. */
function splitRows(text: string): RawRow[] {
  const rows: RawRow[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let rowHasContent = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        field += char;
      }
      continue;
    }
    if (char === '"') {
      quoted = true;
      rowHasContent = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
      rowHasContent = true;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (rowHasContent || field !== '') rows.push({ line: rowLine, fields, terminated: true });
      fields = [];
      field = '';
      rowHasContent = false;
      line++;
      rowLine = line;
    } else {
      field += char;
      rowHasContent = true;
    }
  }
  if (rowHasContent || field !== '') {
    fields.push(field);
    rows.push({ line: rowLine, fields, terminated: false });
  }
  return rows;
}

/**
 * Parses a CSV log into records keyed by the header's column names (same shape as the JSON Lines
 * reader). An unterminated last row is treated as being written and skipped: unlike JSON, a CSV
 * row cut short can still look valid ("bytes" 12345 cut to 123), so it is never trusted.
 */
export function parseCsv(text: string): JsonLinesResult {
  const result: JsonLinesResult = { records: [], bad: [] };
  const rows = splitRows(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const header = rows.shift();
  if (!header) return result;
  if (!header.terminated) {
    result.pendingLine = header.line;
    return result;
  }
  const columns = header.fields.map((name) => name.trim());
  for (const row of rows) {
    if (!row.terminated) {
      result.pendingLine = row.line;
      continue;
    }
    if (row.fields.length !== columns.length) {
      result.bad.push({
        line: row.line,
        problem: `has ${row.fields.length} fields, the header has ${columns.length}`,
      });
      continue;
    }
    const value: Record<string, unknown> = {};
    columns.forEach((name, index) => {
      value[name] = row.fields[index];
    });
    result.records.push({ line: row.line, value });
  }
  return result;
}

/** The header's column names of a CSV text, or undefined when it has no complete header line. */
export function csvHeader(text: string): string[] | undefined {
  const header = splitRows(text.startsWith('\uFEFF') ? text.slice(1) : text)[0];
  return header?.terminated ? header.fields.map((name) => name.trim()) : undefined;
}

/** Quotes a field when it holds a comma, quote or line break (RFC 4180 §2.6–2.7). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV row (without line break) with `record`'s values in `columns` order. */
export function csvRow(columns: readonly string[], record: Record<string, unknown>): string {
  return columns.map((name) => csvField(record[name] === undefined ? '' : String(record[name]))).join(',');
}
