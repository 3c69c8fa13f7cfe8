// RFC 4180 CSV: reads the media log's CSV form (header line, quoted fields) and writes rows for the appender.
import type { Problem } from '../../issues.js';
import type { JsonLinesResult } from '../common/jsonl.js';

interface RawRow {
  /** The physical line the row starts on (a quoted field may span lines). */
  line: number;
  fields: string[];
  /** False when the text ended before the row's line break (a half-written last row). */
  terminated: boolean;
  /** Fields whose quoting is broken, by index: read anyway, and warned about. */
  quoting: Map<number, QuoteProblem>;
}

/** `unterminated`: a quote never closed on its line; `stray`: a quote inside a field (`"bad "quote""`). */
type QuoteProblem = 'unterminated' | 'stray';

interface Scanned {
  row: RawRow;
  /** Offset just past the row's line break (or the end of the text). */
  end: number;
  /** The physical line after the row. */
  nextLine: number;
  spansLines: boolean;
  /** The text ended inside a quoted field. */
  openAtEnd: boolean;
  blank: boolean;
}

const isBreak = (char: string | undefined): boolean => char === '\n' || char === '\r';

/**
 * Reads one row from `start`: `""` inside quotes is one quote; CRLF, LF and CR end a row. With
 * `oneLine`, a quote still open at the end of the line ends there (the row ends with its line).
 */
function scanRow(text: string, start: number, line: number, oneLine: boolean): Scanned {
  const fields: string[] = [];
  const quoting = new Map<number, QuoteProblem>();
  let field = '';
  let quoted = false;
  let hasContent = false;
  let physical = line;
  let i = start;
  const done = (terminated: boolean): Scanned => {
    fields.push(field);
    return {
      row: { line, fields, terminated, quoting },
      end: i,
      nextLine: terminated ? physical + 1 : physical,
      spansLines: physical > line,
      openAtEnd: quoted,
      blank: !hasContent && field === '',
    };
  };
  while (i < text.length) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (char === '"') {
        quoted = false;
        i++;
        // A closing quote is followed by a separator, a line break or the end; anything else is a stray quote.
        if (i < text.length && text[i] !== ',' && !isBreak(text[i])) quoting.set(fields.length, 'stray');
        continue;
      }
      if (!isBreak(char) || !oneLine) {
        if (char === '\n') physical++;
        field += char;
        i++;
        continue;
      }
      quoting.set(fields.length, 'unterminated');
      quoted = false;
    }
    if (char === '"') {
      // RFC 4180 quotes whole fields only: a quote after other characters of the field is stray.
      if (field !== '') quoting.set(fields.length, 'stray');
      quoted = true;
      hasContent = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
      hasContent = true;
    } else if (isBreak(char)) {
      i += char === '\r' && text[i + 1] === '\n' ? 2 : 1;
      return done(true);
    } else {
      field += char;
      hasContent = true;
    }
    i++;
  }
  return done(false);
}

/**
 * Splits text into rows. A quoted field may hold line breaks; but a quote that runs past its line and
 * then does not close cleanly (the text ends inside it, a stray quote follows, or the row comes out
 * wider or narrower than the header) is a quote someone forgot to close: it ends with its own line,
 * and the lines after it are rows again. Otherwise one missing quote swallows the rest of the log.
 */
function* splitRows(text: string): Generator<RawRow, undefined, undefined> {
  let width: number | undefined;
  let offset = 0;
  let line = 1;
  while (offset < text.length) {
    let scanned = scanRow(text, offset, line, false);
    const { row } = scanned;
    const unclean = scanned.openAtEnd || row.quoting.size > 0 || (width !== undefined && row.fields.length !== width);
    if (scanned.spansLines && unclean) scanned = scanRow(text, offset, line, true);
    offset = scanned.end;
    line = scanned.nextLine;
    if (!scanned.blank) {
      width ??= scanned.row.fields.length;
      yield scanned.row;
    }
  }
}

/** A CSV log's rows as records, plus the quoting problems of rows that were read anyway. */
export interface CsvResult extends JsonLinesResult {
  quoting: { line: number; why: Problem }[];
}

/**
 * Parses a CSV log into records keyed by the header's column names (same shape as the JSON Lines
 * reader). An unterminated last row is treated as being written and skipped: unlike JSON, a CSV
 * row cut short can still look valid ("bytes" 12345 cut to 123), so it is never trusted. A row with
 * broken quoting is read as far as it makes sense, with a warning naming its line.
 */
export function parseCsv(text: string): CsvResult {
  const result: CsvResult = { records: [], bad: [], quoting: [] };
  const rows = splitRows(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const header = rows.next().value;
  if (!header) return result;
  if (!header.terminated) {
    result.pendingLine = header.line;
    return result;
  }
  const columns = header.fields.map((name) => name.trim());
  const headerQuoting = quotingOf(columns, header);
  if (headerQuoting) result.quoting.push({ line: header.line, why: headerQuoting });
  for (const row of rows) {
    if (!row.terminated) {
      result.pendingLine = row.line;
      continue;
    }
    const quoting = quotingOf(columns, row);
    if (row.fields.length !== columns.length) {
      const width = { fields: row.fields.length, columns: columns.length };
      const why: Problem = quoting
        ? { ...quoting, ...width, problem: `csv.width+${quoting.problem}` }
        : { problem: 'csv.width', ...width };
      result.bad.push({ line: row.line, why });
      continue;
    }
    if (quoting) result.quoting.push({ line: row.line, why: quoting });
    const value: Record<string, unknown> = {};
    columns.forEach((name, index) => {
      value[name] = row.fields[index];
    });
    result.records.push({ line: row.line, value });
  }
  return result;
}

/**
 * A row's quoting problems, in column order: a quote never closed (at most one a row: it ends the row)
 * and stray quotes, whose columns and values are listed together when a row has several.
 */
function quotingOf(columns: readonly string[], row: RawRow): Problem | undefined {
  if (row.quoting.size === 0) return undefined;
  const column = (index: number): string => (columns[index] ? JSON.stringify(columns[index]) : String(index + 1));
  const problems: string[] = [];
  const stray: number[] = [];
  let openColumn: string | undefined;
  for (const [index, problem] of row.quoting) {
    if (problem === 'unterminated') {
      openColumn = column(index);
      problems.push('csv.unclosed');
    } else {
      if (stray.length === 0) problems.push('csv.stray');
      stray.push(index);
    }
  }
  const why = { problem: problems.join('+') } as Problem;
  if (openColumn !== undefined) why.openColumn = openColumn;
  if (stray.length > 0) {
    why.strayColumn = stray.map(column).join(', ');
    why.strayRead = stray.map((index) => JSON.stringify(row.fields[index] ?? '')).join(', ');
  }
  return why;
}

/** The header's column names of a CSV text, or undefined when it has no complete header line. */
export function csvHeader(text: string): string[] | undefined {
  // Only the first row is read: the appender asks before every CSV row it writes.
  const header = splitRows(text.startsWith('\uFEFF') ? text.slice(1) : text).next().value;
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
