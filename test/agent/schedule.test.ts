// The schedule on the real clock, with six-field (seconds) expressions so that runs come within seconds.
import pino from 'pino';
import t from 'tap';
import { createSchedule, type DueKind, type DueRun } from '../../src/agent/schedule.js';
import { validateSchedule } from '../../src/config/schedule-check.js';
import { waitFor } from './wait-for.js';

const silent = pino({ level: 'silent' });

t.test('a slot of both expressions gives one run, the deep one; every other slot one quick run', async (t) => {
  const runs: { kind: DueKind; run: DueRun }[] = [];
  const schedule = createSchedule({
    verify: '* * * * * *',
    deepVerify: '*/3 * * * * *',
    logger: silent,
    onDue: (kind, run) => runs.push({ kind, run }),
  });
  t.teardown(() => schedule.stop());
  schedule.start();
  await waitFor(() => runs.length >= 7, 60_000);
  const slots = runs.map(({ run }) => run.slot.getTime());
  t.same(
    slots,
    [...new Set(slots)].sort((a, b) => a - b),
    'each slot runs once, in order',
  );
  for (const { kind, run } of runs) {
    t.equal(kind, run.slot.getUTCSeconds() % 3 === 0 ? 'deep' : 'schedule', `${run.slot.toISOString()}`);
  }
  t.ok(
    runs.some(({ kind }) => kind === 'deep'),
    'a deep slot came by',
  );
});

t.test('nextRunAt gives the soonest run once started; intervalMs the longest gap', async (t) => {
  const schedule = createSchedule({
    verify: '*/15 * * * *',
    deepVerify: '30 2 * * *',
    timezone: 'Europe/Paris',
    logger: silent,
    onDue: () => undefined,
  });
  t.equal(schedule.nextRunAt(), null, 'nothing is next before start');
  schedule.start();
  const next = schedule.nextRunAt() as Date;
  t.equal(next.getTime(), schedule.nextRunAt('schedule')?.getTime(), 'the quarter-hour comes before the night');
  t.equal(next.getUTCMinutes() % 15, 0);
  t.ok(next.getTime() > Date.now() && next.getTime() <= Date.now() + 15 * 60_000);
  const deep = schedule.nextRunAt('deep') as Date;
  t.equal(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', timeStyle: 'short' }).format(deep),
    '02:30',
    'the deep run is at 02:30 in the schedule time zone',
  );
  t.equal(schedule.intervalMs('schedule'), 15 * 60_000);
  // 02:30 does not exist in Paris on the night the clocks go forward: node-cron skips that night, so the
  // longest gap is 47 hours (a reason for the default deep run to sit outside 02:00-03:00).
  t.equal(schedule.intervalMs('deep'), 47 * 3600_000);
  schedule.stop();
  t.equal(schedule.nextRunAt(), null, 'nothing is next after stop');
});

t.test('a run that throws is logged and the schedule goes on', async (t) => {
  const lines: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
  let calls = 0;
  const schedule = createSchedule({
    verify: '* * * * * *',
    deepVerify: '0 0 0 1 1 *',
    logger,
    onDue: () => {
      calls++;
      throw new Error('agent busy');
    },
  });
  t.teardown(() => schedule.stop());
  schedule.start();
  await waitFor(() => calls >= 2, 60_000);
  t.match(lines[0], /the scheduled run failed to start/);
  t.match(lines[0], /agent busy/);
});

t.test('validateSchedule names the JSON path, the reason and a hint', async (t) => {
  t.same(validateSchedule({ verify: '*/15 * * * *', deepVerify: '30 2 * * *', timezone: 'Asia/Ho_Chi_Minh' }), []);
  const problems = validateSchedule({ verify: '*/15 * * *', deepVerify: '61 2 * * *', timezone: 'Mars/Olympus' });
  t.same(
    problems.map(({ path, code, severity }) => ({ path, code, severity })),
    [
      { path: 'schedule.timezone', code: 'config.schedule-timezone', severity: 'error' },
      { path: 'schedule.verify', code: 'config.schedule-expression', severity: 'error' },
      { path: 'schedule.deepVerify', code: 'config.schedule-expression', severity: 'error' },
    ],
  );
  t.match(problems[1]?.message, /"\*\/15 \* \* \*" is not a cron expression: expected 5 or 6 fields but got 4/);
  t.match(problems[2]?.message, /61 is a invalid expression for minute/);
  t.match(problems[1]?.hint, /\*\/15 \* \* \* \*/);
  t.match(problems[0]?.message, /"Mars\/Olympus" is not a time zone/);
  const frequent = validateSchedule({ verify: '*/10 * * * * *', deepVerify: '0 0 31 2 *' });
  t.same(
    frequent.map(({ path, code, severity }) => ({ path, code, severity })),
    [
      { path: 'schedule.verify', code: 'config.schedule-frequent', severity: 'warning' },
      { path: 'schedule.deepVerify', code: 'config.schedule-expression', severity: 'error' },
    ],
  );
  t.match(frequent[0]?.message, /every 10 s/);
  t.match(frequent[1]?.message, /impossible day of month/);
});
