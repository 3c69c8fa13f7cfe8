// The real agent under a wall clock stepped by hours (test/agent/clock-shift.mjs preloaded: Date moves,
// timers keep the monotonic time, as under an NTP step or `date -s`). Back 3 h: a backup now dated in the
// future is not fresh, and reports keep coming (no 3-hour silence). Forward 25 h: one catch-up run for
// the time jumped over, not one per missed slot. Adjacent ground: test/agent/schedule-clock.test.ts (the
// schedule alone in a child), test/policy/** (a copy dated in the future is never fresh).
import { spawn } from 'node:child_process';
import t from 'tap';
import { startCollector } from '../agent/collector.js';
import { agentEstate, freePort, TOKEN, until } from '../agent/harness.js';
import { BIN } from '../helpers/cli.js';

const CLOCK_SHIFT = new URL('../agent/clock-shift.mjs', import.meta.url).href;
const HOUR = 3600_000;

type Line = Record<string, unknown>;
interface Finding {
  check: string;
  status: string;
  reason: string;
}
interface Report {
  seq: number;
  trigger: string;
  startedAt: string;
  finishedAt: string;
  run: { durationMs: number };
  datasets: Array<{ id: string; findings: Finding[] }>;
}

/** The agent with the shifting clock preloaded and an IPC channel to move it; its JSON log lines. */
function startShiftedAgent(args: string[]) {
  const child = spawn(process.execPath, ['--import', CLOCK_SHIFT, BIN, 'agent', ...args], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const lines: Line[] = [];
  let pending = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const part of parts) if (part.trim()) lines.push(JSON.parse(part) as Line);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let shifted = 0;
  child.on('message', (message: { shifted?: number }) => {
    if (message.shifted !== undefined) shifted++;
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    /** Moves the agent's wall clock by `ms`; resolves once it has moved. */
    async shift(ms: number) {
      const before = shifted;
      child.send({ shiftMs: ms });
      await until(() => shifted > before, 'the clock shift');
    },
  };
}

t.test('a clock stepped back 3 h, then forward 25 h, under a running agent', async (t) => {
  const collector = await startCollector({ token: TOKEN });
  t.teardown(() => collector.close());
  const root = t.testdir({});
  // A deep run daily at 03:00: the 25 hours jumped over hold one such slot, which the catch-up takes.
  const estate = agentEstate(root, collector.url, {
    everySeconds: 2,
    deep: '0 0 3 * * *',
    healthPort: await freePort(),
  });
  const agent = startShiftedAgent(['-c', estate.configFile, '--log-level', 'debug', '--retry-min', '100ms']);
  t.teardown(async () => {
    agent.child.kill('SIGKILL');
    await agent.exited;
  });
  const reports = () => collector.deliveries.filter((d) => d.status === 201).map((d) => JSON.parse(d.body) as Report);
  const freshness = (report: Report) =>
    report.datasets.find((d) => d.id === 'erp-db')?.findings.find((f) => f.check === 'freshness');
  await until(() => reports().length >= 2, 'two reports at the true time', 120_000);
  t.equal(freshness(reports()[0] as Report)?.status, 'pass', "erp-db's 2-hour-old copy is fresh at the true time");

  // Back 3 hours: erp-db's newest copy (2 h old) is now dated an hour in the future.
  const backAt = Date.now();
  await agent.shift(-3 * HOUR);
  // Reports made after the step: they keep coming (no long silence).
  const afterStep = () => reports().filter((r) => Date.parse(r.finishedAt) < backAt - 2 * HOUR);
  // Runs that started in the stepped-back time: a run judges its copies at its start, so one that began
  // before the step and ended after it (and its heartbeats) was judged, rightly, at the true time.
  const steppedBack = () => reports().filter((r) => Date.parse(r.startedAt) < backAt - 2 * HOUR);
  await until(() => afterStep().length >= 1, 'a report after the step', 300_000);
  const firstGapMs = Date.now() - backAt;
  // What the gap is made of, when it is long (a busy machine): the run that was going at the step, or a later one.
  const firstAfter = afterStep()[0] as Report;
  const firstAfterWhat = `${firstAfter.trigger}, seq ${firstAfter.seq}, its run ${Math.round(firstAfter.run.durationMs / 100) / 10} s, started ${Date.parse(firstAfter.startedAt) < backAt - 2 * HOUR ? 'after' : 'before'} the step`;
  await until(() => steppedBack().length >= 1, 'a run started in the stepped-back time', 300_000);
  t.ok(
    agent.lines.some((l) => String(l.msg).startsWith('the clock stepped back')),
    'the step back is logged',
  );
  for (const report of steppedBack()) {
    const found = freshness(report);
    t.not(
      found?.status,
      'pass',
      `seq ${report.seq}: a copy dated in the future is not fresh (${found?.status}, ${found?.reason})`,
    );
  }
  const seqs = reports().map((r) => r.seq);
  t.same(
    seqs,
    [...seqs].sort((a, b) => a - b),
    'seqs go on increasing through the step',
  );

  // Forward 28 h: back to the true time and 25 hours on. 45,000 two-second slots were jumped over.
  const jumpFrom = Date.now() - 3 * HOUR;
  const linesBeforeJump = agent.lines.length;
  await agent.shift(28 * HOUR);
  const jumpTo = Date.now() + 25 * HOUR;
  const due = () => agent.lines.slice(linesBeforeJump).filter((l) => l.msg === 'run due');
  const slotOf = (l: Line) => Date.parse(String(l.slot));
  // Slots of the time jumped over are older than the new "now" by more than the schedule's stall margin.
  const isRegular = (l: Line) => slotOf(l) >= jumpTo - 10_000;
  await until(() => due().filter(isRegular).length >= 3, 'three runs after the jump', 120_000);
  const forJump = due().filter((l) => slotOf(l) > jumpFrom && !isRegular(l));
  t.equal(forJump.length, 1, 'one catch-up run for the 25 hours jumped over');
  t.equal(forJump[0]?.kind, 'deep', 'it is the deep run, whose 03:00 slot was among them');
  // A storm would be many slots of the jumped-over time; the regular ones come once each, in order.
  const third = due().filter(isRegular)[2] as Line;
  const untilThird = due().slice(0, due().indexOf(third) + 1);
  const regular = untilThird.filter(isRegular).map(slotOf);
  t.same(
    regular,
    [...new Set(regular)].sort((a, b) => a - b),
    'then the regular slots, each once, in order',
  );
  const skipped = agent.lines.slice(linesBeforeJump).filter((l) => l.event === 'run-skipped').length;
  t.ok(
    agent.lines.slice(linesBeforeJump).some((l) => /one run for the time missed/.test(String(l.msg))),
    'the jump is logged',
  );
  const afterJump = () => reports().filter((r) => Date.parse(r.finishedAt) > jumpTo - HOUR);
  await until(() => afterJump().length >= 1, 'a report in the jumped-to time', 120_000);
  t.ok(afterJump().length >= 1, 'reports come in the jumped-to time');
  // Durations are measured on the monotonic clock: a run going at a step is not 3 hours negative.
  t.same(
    reports()
      .filter((report) => !(report.run.durationMs >= 0 && report.run.durationMs < HOUR))
      .map((report) => [report.seq, report.run.durationMs]),
    [],
    'every run lasted what it lasted, whatever the steps',
  );
  t.comment(
    `figures: step back 3 h → ${afterStep().length} reports after it, ${steppedBack().length} of runs started in the stepped-back time (the first report ${Math.round(firstGapMs / 100) / 10} s after the step, schedule every 2 s: ${firstAfterWhat}), ` +
      `freshness there: ${[...new Set(steppedBack().map((r) => freshness(r)?.status))].join('/')}; ` +
      `forward 25 h → ${forJump.length} catch-up run(s) for ${Math.round((25 * HOUR) / 2000)} missed slots, ${untilThird.length} runs due from the jump up to the third regular one, ${skipped} run(s) skipped meanwhile`,
  );
});
