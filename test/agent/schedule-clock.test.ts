// The schedule when the wall clock jumps or the process is stopped: a child process with its clock moved
// by clock-shift.mjs (an offset on Date, which node-cron and the schedule read; timers keep the real
// monotonic time, as they do under a real step), or stopped with SIGSTOP as a stand-in for a suspend.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { waitFor } from './wait-for.js';

const TS_LOADER = new URL('../../node_modules/@tapjs/typescript/dist/esm/import.mjs', import.meta.url).href;
const CLOCK_SHIFT = new URL('./clock-shift.mjs', import.meta.url).href;
const CHILD = fileURLToPath(new URL('./schedule-child.ts', import.meta.url));
const HOUR = 3600_000;

interface Run {
  kind: 'schedule' | 'deep';
  slot: number;
  lateMs: number;
  at: number;
}

interface Child {
  runs: Run[];
  stderr: () => string;
  /** Moves the child's wall clock; resolves once the child has it. */
  shift(ms: number): Promise<void>;
  process: ChildProcess;
}

async function startChild(t: Test, verify: string, deep: string, tickMs: number): Promise<Child> {
  const child = spawn(
    process.execPath,
    ['--import', TS_LOADER, '--import', CLOCK_SHIFT, CHILD, verify, deep, String(tickMs)],
    {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    },
  );
  t.teardown(() => {
    child.kill('SIGCONT');
    child.kill();
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const runs: Run[] = [];
  let started = false;
  let shifted = 0;
  child.on('message', (message: Partial<Run> & { started?: number; shifted?: number }) => {
    if (message.started) started = true;
    else if (message.shifted !== undefined) shifted++;
    else runs.push(message as Run);
  });
  await waitFor(() => started, 60_000, 'the child to start');
  return {
    runs,
    stderr: () => stderr,
    process: child,
    async shift(ms) {
      const before = shifted;
      child.send({ shiftMs: ms });
      await waitFor(() => shifted > before, 30_000, 'the shift');
    },
  };
}

t.test('a clock jumped forward 25 hours gives one catch-up run, deep, and then the usual runs', async (t) => {
  const child = await startChild(t, '*/2 * * * * *', '0 0 3 * * *', 2000);
  await waitFor(() => child.runs.length >= 1, 60_000, 'a first run');
  const jumpedFrom = Date.now();
  await child.shift(25 * HOUR);
  const jumpedTo = Date.now() + 25 * HOUR;
  await waitFor(() => child.runs.filter((run) => run.slot > jumpedTo).length >= 2, 60_000, 'runs after the jump');
  // A 25-hour window holds 45,000 two-second slots and one 03:00 slot: one run stands for them all.
  const inJump = child.runs.filter((run) => run.slot > jumpedFrom && run.slot <= jumpedTo);
  t.equal(inJump.length, 1, 'one run for the time jumped over');
  t.equal(inJump[0]?.kind, 'deep', 'the deep slot among them wins');
  t.equal(new Date(inJump[0]?.slot ?? 0).getUTCHours(), 3);
  t.match(child.stderr(), /one run for the time missed/);
  const after = child.runs.filter((run) => run.slot > jumpedTo);
  t.ok(
    after.every((run) => run.kind === 'schedule'),
    'then the quick runs',
  );
});

t.test('a clock stepped back 3 hours does not silence the schedule for 3 hours', async (t) => {
  const child = await startChild(t, '*/2 * * * * *', '0 0 0 1 1 *', 2000);
  await waitFor(() => child.runs.length >= 1, 60_000, 'a first run');
  const steppedAt = Date.now();
  await child.shift(-3 * HOUR);
  // Left to node-cron's runner, the next run would wait until the clock came back to steppedAt.
  await waitFor(
    () => child.runs.some((run) => run.slot < steppedAt - 2 * HOUR),
    60_000,
    'a run in the stepped-back time',
  );
  t.match(child.stderr(), /the clock stepped back/);
  const stepped = child.runs.filter((run) => run.slot < steppedAt - 2 * HOUR).map((run) => run.slot);
  t.same(stepped, [...new Set(stepped)], 'no slot runs twice');
});

t.test(
  'a process stopped for 6 s (SIGSTOP, as a suspend) runs once on SIGCONT, not once per missed slot',
  async (t) => {
    const child = await startChild(t, '*/2 * * * * *', '0 0 0 1 1 *', 2000);
    await waitFor(() => child.runs.length >= 1, 60_000, 'a first run');
    const stoppedAt = Date.now();
    child.process.kill('SIGSTOP');
    await waitFor(() => Date.now() - stoppedAt >= 6000, 30_000, 'six seconds');
    const continuedAt = Date.now();
    child.process.kill('SIGCONT');
    await waitFor(() => child.runs.filter((run) => run.at > continuedAt).length >= 2, 60_000, 'runs after SIGCONT');
    // Three two-second slots passed while it was stopped: at most one run stands for them.
    const whileStopped = child.runs.filter((run) => run.slot > stoppedAt && run.slot <= continuedAt);
    t.ok(whileStopped.length <= 1, `${whileStopped.length} run(s) for the slots missed while stopped`);
    const slots = child.runs.map((run) => run.slot);
    t.same(slots, [...new Set(slots)], 'no slot runs twice');
  },
);
