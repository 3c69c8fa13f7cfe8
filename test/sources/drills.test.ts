// Reading the restore-drill log: records with their line as evidence; bad lines and impossible times skipped.
import t from 'tap';
import { join } from 'node:path';
import { checkDrillRecord, readDrillLog } from '../../src/sources/drills.js';

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
      drill(),
      '{"dataset":"erp-db","startedAt":"2026-',
    ];
    const path = join(t.testdir({ 'drills.jsonl': lines.join('\n') }), 'drills.jsonl');
    const log = await readDrillLog(path);
    t.same(
      log.records.map((r) => r.ref),
      [`${path}:1`, `${path}:10`],
    );
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
      ],
      'the half-written last line (11) is not an issue',
    );
    t.match(log.issues[7], {
      severity: 'warning',
      dataset: 'erp-db',
      message: /finishedAt 2026-11-01T00:59:00.000Z is before startedAt/,
    });
    t.match(log.issues[4]?.message, `"result" must be "success" or "failure" (got "ok"); record skipped`);
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
