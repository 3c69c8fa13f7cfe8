// Fault suite, fuzzing: the restore-drill log reader (src/drills/log.ts, readDrillLog with the text
// given in place of the file). Thousands of inputs per property: logs of valid drills (all read, each
// with its line as `path:line`), the same with one field of one drill changed, removed or typed wrong
// (that line alone is read or named by an issue with its number), and junk: never a throw, and every
// non-blank line read, named by an issue, or left as the half-written last line.
import fc from 'fast-check';
import t from 'tap';
import { readDrillLog } from '../../src/drills/log.js';
import { accounted, drillRecord, NOW_MS, nonBlankLines } from '../helpers/faults-fuzz-logs.js';
import { applied, junkLine, mutationOf, RUNS } from '../helpers/faults-fuzz-mutate.js';

const PATH = '/var/lib/backup321/restore-drills.jsonl';
const clock = { nowMs: NOW_MS, skewMs: 5 * 60_000 };
const read = (body: string) => readDrillLog(PATH, clock, async () => body);
const lineOf = (ref: string) => Number(ref.slice(PATH.length + 1));

t.test('valid drills all read; one changed: only its line differs, named by its number', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(drillRecord, { maxLength: 8 }), async (records) => {
      const log = await read(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
      return (
        log.readable &&
        log.issues.length === 0 &&
        log.records.map((r) => r.ref).join() === records.map((_, i) => `${PATH}:${i + 1}`).join()
      );
    }),
    { numRuns: RUNS },
  );
  let runs = 0;
  let named = 0;
  let stillRead = 0;
  const codes = new Set<string>();
  const oneMutated = fc
    .array(drillRecord, { minLength: 1, maxLength: 8 })
    .chain((records) =>
      fc
        .nat(records.length - 1)
        .chain((index) =>
          mutationOf(records[index]).map((m) => ({ records, index, changed: applied(records[index], m) })),
        ),
    );
  await fc.assert(
    fc.asyncProperty(oneMutated, async ({ records, index, changed }) => {
      runs++;
      const body = `${records.map((r, i) => JSON.stringify(i === index ? changed : r)).join('\n')}\n`;
      const log = await read(body);
      const readLines = log.records.map((r) => lineOf(r.ref));
      const others = records.map((_, i) => i + 1).filter((l) => l !== index + 1);
      if (!others.every((l) => readLines.includes(l))) return false;
      // A drill dated ahead of the clock is read and warned about (B321_FUTURE_TIME) on its own line.
      if (log.issues.some((i) => i.line !== index + 1 || i.message.length === 0 || i.path !== PATH)) return false;
      for (const issue of log.issues) codes.add(issue.code);
      if (readLines.includes(index + 1)) stillRead++;
      else if (log.issues.some((i) => i.code === 'B321_BAD_LINE' || i.code === 'B321_DRILL_TIMES')) named++;
      else return false;
      return true;
    }),
    { numRuns: RUNS },
  );
  t.pass('held');
  t.comment(
    `drill log: ${RUNS} valid logs all read with path:line; ${runs} with one drill changed: ${named} named by an issue at its line (${[...codes].sort().join(', ')}), ${stillRead} still read, the other lines read every time`,
  );
});

t.test('junk never throws; every non-blank line read, named, or pending', async (t) => {
  let runs = 0;
  let issues = 0;
  const line = fc.oneof(
    junkLine,
    drillRecord.map((r) => JSON.stringify(r)),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(line, { maxLength: 12 }), fc.boolean(), async (lines, ended) => {
      runs++;
      const body = lines.join('\n') + (ended && lines.length > 0 ? '\n' : '');
      const log = await read(body);
      // A future-dated drill is read and also warned about: count each line once.
      const warned = log.issues.filter((i) => i.code !== 'B321_FUTURE_TIME');
      issues += warned.length;
      return (
        accounted(
          nonBlankLines(body),
          log.records.map((r) => lineOf(r.ref)),
          warned.map((i) => i.line as number),
          undefined,
        ) ||
        accounted(
          nonBlankLines(body),
          log.records.map((r) => lineOf(r.ref)),
          warned.map((i) => i.line as number),
          nonBlankLines(body).at(-1),
        )
      );
    }),
    { numRuns: RUNS },
  );
  t.pass('held');
  t.comment(
    `drill log: ${runs} logs of junk and valid lines, ${issues} issues each naming its line, 0 throws, every line accounted for`,
  );
});
