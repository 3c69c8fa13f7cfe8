// Fault suite, fuzzing: the offline-media log parser (src/sources/offline-log/parse.ts), JSON Lines and
// CSV. Thousands of inputs per property: logs of valid events (all read), the same with one field of
// one record changed, removed or typed wrong (that line alone is read or named by an issue with its
// line number; the others are read as before), and junk. It never throws, and every non-blank JSON
// line is accounted for: read, an issue naming its line, or the half-written last line.
import fc from 'fast-check';
import t from 'tap';
import { csvField, csvRow } from '../../src/sources/offline-log/csv.js';
import { MEDIA_LOG_COLUMNS } from '../../src/sources/offline-log/events.js';
import { parseMediaLog } from '../../src/sources/offline-log/parse.js';
import { accounted, mediaRecord, nonBlankLines } from '../helpers/faults-fuzz-logs.js';
import { applied, junkLine, mutationOf, RUNS } from '../helpers/faults-fuzz-mutate.js';

const PATH = '/var/lib/backup321/offline-media.jsonl';
const oneMutated = fc
  .array(mediaRecord, { minLength: 1, maxLength: 8 })
  .chain((records) =>
    fc
      .nat(records.length - 1)
      .chain((index) =>
        mutationOf(records[index]).map((mutation) => ({ records, index, changed: applied(records[index], mutation) })),
      ),
  );

t.test('JSON Lines: valid events all read; one changed: only its line differs, named by number', async (t) => {
  let runs = 0;
  let named = 0;
  let stillRead = 0;
  fc.assert(
    fc.property(fc.array(mediaRecord, { maxLength: 8 }), (records) => {
      const parsed = parseMediaLog(records.map((r) => `${JSON.stringify(r)}\n`).join(''), 'jsonl', PATH);
      return (
        parsed.issues.length === 0 && parsed.events.map((e) => e.line).join() === records.map((_, i) => i + 1).join()
      );
    }),
    { numRuns: RUNS },
  );
  fc.assert(
    fc.property(oneMutated, ({ records, index, changed }) => {
      runs++;
      const lines = records.map((r, i) => JSON.stringify(i === index ? changed : r));
      const parsed = parseMediaLog(`${lines.join('\n')}\n`, 'jsonl', PATH);
      const others = records.map((_, i) => i + 1).filter((line) => line !== index + 1);
      const read = parsed.events.map((e) => e.line);
      if (!others.every((line) => read.includes(line))) return false;
      const issued = parsed.issues.map((i) => i.line);
      if (issued.some((line) => line !== index + 1)) return false;
      if (issued.length === 1) named++;
      else if (read.includes(index + 1)) stillRead++;
      else return false;
      return parsed.issues.every((i) => i.code === 'B321_BAD_LINE' && i.path === PATH && i.message.length > 0);
    }),
    { numRuns: RUNS },
  );
  t.pass('held');
  t.comment(
    `media log JSONL: ${RUNS} valid logs all read; ${runs} logs with one record changed: ${named} named by an issue at its line, ${stillRead} still valid, the other lines read every time`,
  );
});

t.test('JSON Lines: junk never throws; every non-blank line read, named, or pending', async (t) => {
  let runs = 0;
  let issues = 0;
  const line = fc.oneof(
    junkLine,
    mediaRecord.map((r) => JSON.stringify(r)),
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (lines, eol, ended) => {
      runs++;
      const body = lines.join(eol) + (ended && lines.length > 0 ? eol : '');
      const parsed = parseMediaLog(body, 'jsonl', PATH);
      issues += parsed.issues.length;
      return accounted(
        nonBlankLines(body),
        parsed.events.map((e) => e.line),
        parsed.issues.map((i) => i.line as number),
        parsed.pendingLine,
      );
    }),
    { numRuns: RUNS },
  );
  t.pass('held');
  t.comment(
    `media log JSONL: ${runs} logs of junk and valid lines, ${issues} issues each naming its line, 0 throws, every line accounted for`,
  );
});

t.test('CSV: valid rows all read; one cell changed: only its row differs, named by its line', async (t) => {
  const header = MEDIA_LOG_COLUMNS.join(',');
  const asCsv = (records: Array<Record<string, unknown>>) =>
    `${header}\n${records.map((r) => `${csvRow(MEDIA_LOG_COLUMNS, r)}\n`).join('')}`;
  fc.assert(
    fc.property(fc.array(mediaRecord, { maxLength: 8 }), (records) => {
      // Cells without line breaks: each record is one physical line, line 2 onwards.
      const flat = records.map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v).replace(/[\r\n]/g, 'x')])),
      );
      const parsed = parseMediaLog(asCsv(flat), 'csv', PATH);
      return parsed.issues.length === 0 && parsed.events.map((e) => e.line).join() === flat.map((_, i) => i + 2).join();
    }),
    { numRuns: RUNS },
  );
  let runs = 0;
  let named = 0;
  const cell = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom('', '"', 'a"b', ',', '-1', '1.5', 'nope', '2026-13-01T00:00:00Z'),
  );
  fc.assert(
    fc.property(
      fc.array(mediaRecord, { minLength: 1, maxLength: 8 }),
      fc.nat(),
      fc.constantFrom(...MEDIA_LOG_COLUMNS),
      cell,
      fc.boolean(),
      (records, pick, column, value, raw) => {
        runs++;
        const flat = records.map((r) =>
          Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v).replace(/[\r\n",]/g, 'x')])),
        );
        const index = pick % flat.length;
        const clean = value.replace(/[\r\n]/g, ' ');
        const rows = flat.map((r, i) => {
          if (i !== index) return csvRow(MEDIA_LOG_COLUMNS, r);
          // The changed cell quoted as the writer would, or written raw (a stray quote, an extra comma).
          return MEDIA_LOG_COLUMNS.map((c) =>
            c === column ? (raw ? clean : csvField(clean)) : csvField(String(r[c])),
          ).join(',');
        });
        const parsed = parseMediaLog(`${header}\n${rows.map((r) => `${r}\n`).join('')}`, 'csv', PATH);
        const line = index + 2;
        const read = parsed.events.map((e) => e.line);
        const others = flat.map((_, i) => i + 2).filter((l) => l !== line);
        if (!others.every((l) => read.includes(l))) return false;
        if (parsed.issues.some((i) => i.line !== line)) return false;
        if (parsed.issues.some((i) => i.code === 'B321_BAD_LINE')) named++;
        return read.includes(line) || parsed.issues.some((i) => i.code === 'B321_BAD_LINE');
      },
    ),
    { numRuns: RUNS },
  );
  t.pass('held');
  t.comment(
    `media log CSV: ${RUNS} valid logs all read; ${runs} with one cell changed (quoted or raw): ${named} rows named by an issue at their line, the others read every time`,
  );
});

t.test('CSV: junk never throws; every issue and event names a line of the text', async (t) => {
  let runs = 0;
  let issues = 0;
  const line = fc.oneof(
    junkLine,
    fc.string({ maxLength: 40 }).map((s) => s.replace(/\n/g, '"')),
    fc.constant(MEDIA_LOG_COLUMNS.join(',')),
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 10 }), fc.boolean(), (lines, ended) => {
      runs++;
      const body = lines.join('\n') + (ended ? '\n' : '');
      const parsed = parseMediaLog(body, 'csv', PATH);
      issues += parsed.issues.length;
      const count = body.split('\n').length;
      const inText = (l: number | undefined) => typeof l === 'number' && l >= 1 && l <= count;
      return (
        parsed.issues.every((i) => inText(i.line) && i.message.length > 0) && parsed.events.every((e) => inText(e.line))
      );
    }),
    { numRuns: RUNS },
  );
  t.pass('held');
  t.comment(`media log CSV: ${runs} texts of junk, ${issues} issues each naming a line within the text, 0 throws`);
});
