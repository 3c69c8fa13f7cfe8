// Reading the restore-drill log: records with their line as evidence; bad lines and impossible times skipped.
import { execFileSync } from 'node:child_process';
import t from 'tap';
import { sourceIssue } from '../../src/issues.js';
import { NotAnsweringIssue, readLogText } from '../../src/sources/common/log-text.js';
import { join } from 'node:path';
import { checkDrillRecord, readDrillLog as readDrills } from '../../src/drills/log.js';

/** The run's clock: a week after the drills below. */
const CLOCK = { nowMs: Date.parse('2026-11-08T00:00:00Z'), skewMs: 5 * 60_000 };
const readDrillLog = (path: string | undefined) => readDrills(path, CLOCK);

const drill = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    dataset: 'erp-db',
    startedAt: '2026-11-01T08:00:00+07:00',
    finishedAt: '2026-11-01T13:30:00+07:00',
    result: 'success',
    ...extra,
  });

t.test('no drill log configured: configured false, nothing read', async (t) => {
  t.same(await readDrillLog(undefined), {
    configured: false,
    readable: false,
    records: [],
    issues: [],
  });
});

t.test(
  'a missing drill log is an empty log (no drill recorded); a log that cannot be read is unreadable',
  async (t) => {
    const path = join(t.testdir({}), 'drills.jsonl');
    t.match(await readDrillLog(path), {
      configured: true,
      readable: true,
      records: [],
      issues: [{ severity: 'warning', code: 'B321_DRILL_LOG_MISSING', path }],
    });
    const dir = t.testdir({ 'd.jsonl': {} });
    t.match(await readDrillLog(join(dir, 'd.jsonl')), {
      readable: false,
      issues: [{ code: 'B321_READ_ERROR' }],
    });
  },
);

t.test('records are read with times in UTC and their file:line as ref', async (t) => {
  const dir = t.testdir({
    'drills.jsonl': `${drill({ location: 'vault', notes: 'ticket 42' })}\n\n${drill({ result: 'failure' })}\n`,
  });
  const path = join(dir, 'drills.jsonl');
  const log = await readDrillLog(path);
  t.same(log, {
    configured: true,
    readable: true,
    issues: [],
    records: [
      {
        dataset: 'erp-db',
        startedAt: '2026-11-01T01:00:00.000Z',
        finishedAt: '2026-11-01T06:30:00.000Z',
        result: 'success',
        location: 'vault',
        notes: 'ticket 42',
        ref: `${path}:1`,
      },
      {
        dataset: 'erp-db',
        startedAt: '2026-11-01T01:00:00.000Z',
        finishedAt: '2026-11-01T06:30:00.000Z',
        result: 'failure',
        ref: `${path}:3`,
      },
    ],
  });
});

t.test(
  'bad lines are warnings with line numbers; finished before started is its own warning; the rest is read',
  async (t) => {
    const lines = [
      drill(),
      'not json',
      drill({ dataset: '' }),
      drill({ startedAt: '2026-11-01' }),
      drill({ finishedAt: 42 }),
      drill({ result: 'ok' }),
      drill({ location: 7 }),
      drill({ notes: ['x'] }),
      drill({ finishedAt: '2026-11-01T07:59:00+07:00' }),
      drill({ bytes: 5_000 }),
      drill({ bytes: -1 }),
      '{"dataset":"erp-db","startedAt":"2026-',
    ];
    const path = join(t.testdir({ 'drills.jsonl': lines.join('\n') }), 'drills.jsonl');
    const log = await readDrillLog(path);
    t.same(
      log.records.map((r) => r.ref),
      [`${path}:1`, `${path}:10`],
    );
    t.equal(log.records[1]?.bytes, 5_000, 'the size a drill restored is read');
    t.same(
      log.issues.map((i) => [i.line, i.code]),
      [
        [2, 'B321_BAD_LINE'],
        [3, 'B321_BAD_LINE'],
        [4, 'B321_BAD_LINE'],
        [5, 'B321_BAD_LINE'],
        [6, 'B321_BAD_LINE'],
        [7, 'B321_BAD_LINE'],
        [8, 'B321_BAD_LINE'],
        [9, 'B321_DRILL_TIMES'],
        [11, 'B321_BAD_LINE'],
      ],
      'the half-written last line (12) is not an issue',
    );
    t.match(log.issues[7], {
      severity: 'warning',
      dataset: 'erp-db',
      message: /finishedAt 2026-11-01T00:59:00.000Z is before startedAt/,
    });
    t.match(log.issues[4]?.message, `"result" must be "success" or "failure" (got "ok"); line skipped`);
  },
);

t.test('a drill that finished the moment it started is valid (zero duration)', async (t) => {
  t.match(
    checkDrillRecord({
      dataset: 'd',
      startedAt: '2026-11-01T00:00:00Z',
      finishedAt: '2026-11-01T00:00:00Z',
      result: 'success',
    }),
    { ok: true },
  );
});

t.test('an impossible date is a bad line naming the field, never a drill moved to another day', async (t) => {
  const lines = [
    drill({ startedAt: '2026-02-30T08:00:00+07:00', finishedAt: '2026-03-02T09:00:00+07:00' }),
    drill({ finishedAt: '2026-11-01T25:30:00+07:00' }),
    drill(),
  ];
  const path = join(t.testdir({ 'drills.jsonl': `${lines.join('\n')}\n` }), 'drills.jsonl');
  const log = await readDrillLog(path);
  t.same(
    log.records.map((r) => r.ref),
    [`${path}:3`],
  );
  t.match(log.issues, [
    {
      code: 'B321_BAD_LINE',
      line: 1,
      dataset: 'erp-db',
      message: '"startedAt" "2026-02-30T08:00:00+07:00" is not a date: 2026-02 has 28 days; line skipped',
    },
    {
      code: 'B321_BAD_LINE',
      line: 2,
      message: '"finishedAt" "2026-11-01T25:30:00+07:00" is not a time of day (00:00:00 to 23:59:59); line skipped',
    },
  ]);
});

t.test('a drill finishing past the clock skew is warned once with its line (B321_FUTURE_TIME)', async (t) => {
  // CLOCK is 2026-11-08T00:00Z with 5 min of skew.
  const lines = [
    drill(),
    drill({ startedAt: '2062-11-01T08:00:00+07:00', finishedAt: '2062-11-01T13:30:00+07:00' }),
    drill({ startedAt: '2026-11-07T23:00:00Z', finishedAt: '2026-11-08T00:05:00Z' }),
    drill({ startedAt: '2026-11-07T23:00:00Z', finishedAt: '2026-11-08T00:05:01Z' }),
  ];
  const path = join(t.testdir({ 'drills.jsonl': `${lines.join('\n')}\n` }), 'drills.jsonl');
  const log = await readDrillLog(path);
  t.equal(log.records.length, 4, 'still read: the restore-drill check decides what a future drill is worth');
  t.equal(log.issues.length, 2);
  t.match(log.issues, [
    {
      severity: 'warning',
      code: 'B321_FUTURE_TIME',
      message:
        "finishedAt 2062-11-01T06:30:00.000Z is more than 5 min ahead of this machine's clock (2026-11-08T00:00:00.000Z); a drill cannot finish in the future, so this one does not count",
      path,
      line: 2,
      dataset: 'erp-db',
    },
    {
      severity: 'warning',
      code: 'B321_FUTURE_TIME',
      message: /^finishedAt 2026-11-08T00:05:01.000Z is more than 5 min ahead/,
      path,
      line: 4,
      dataset: 'erp-db',
    },
  ]);
  const lenient = await readDrills(path, { ...CLOCK, skewMs: 3_600_000 });
  t.same(
    lenient.issues.map((i) => i.line),
    [2],
    "the config's clockSkew sets how far ahead is too far",
  );
});

t.test(
  'the run reads the drill log on a reading thread: a FIFO is refused at once, a log that does not answer is said so',
  async (t) => {
    const dir = t.testdir();
    const fifo = join(dir, 'drills.jsonl');
    execFileSync('mkfifo', [fifo]);
    const clock = { nowMs: Date.now(), skewMs: 0 };
    const viaThread = (path: string) => readLogText(path, { reader: 'restore-drills', readTimeoutMs: 60_000 });
    const fromFifo = await readDrills(fifo, clock, viaThread);
    t.match(fromFifo, {
      configured: true,
      readable: false,
      records: [],
      issues: [{ code: 'B321_READ_ERROR', path: fifo }],
    });
    t.match(fromFifo.issues[0]?.message, /no plain file/);

    const issue = sourceIssue(
      'B321_NOT_ANSWERING',
      { root: fifo, path: fifo, within: '5m' },
      { severity: 'error', path: fifo },
    );
    const hung = await readDrills(fifo, clock, async () => {
      throw new NotAnsweringIssue(issue);
    });
    t.same(
      hung,
      { configured: true, readable: false, records: [], issues: [issue] },
      'the issue as the reader made it',
    );
  },
);
