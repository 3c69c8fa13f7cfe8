// `backup321 agent` as a real child process on a seconds-level schedule, over the demo estate, sending
// to a real HTTP receiver on 127.0.0.1: what arrives, in which order, with which token; a receiver that
// refuses for a while; SIGTERM, SIGHUP with a broken config, --once. Nothing waits on wall-clock minutes.
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { agentEstate, freePort, startAgent, startReceiver, TOKEN, until } from './harness.js';
import { promtool } from './promtool.js';

const NOTIFY_RECEIVER = fileURLToPath(new URL('./notify-socket.py', import.meta.url));

const FAST_RETRY = ['--retry-min', '50ms', '--retry-max', '200ms'];

t.test('reports arrive with the token, in seq order, one per run; SIGTERM exits 0', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const estate = agentEstate(t.testdir(), receiver.url, { everySeconds: 1 });
  const agent = startAgent(['-c', estate.configFile, ...FAST_RETRY]);
  t.teardown(() => agent.child.kill('SIGKILL'));
  await until(() => receiver.acknowledged.size >= 3, 'three reports');
  const posts = receiver.posts.filter((p) => p.status === 201);
  t.ok(
    posts.every((p) => p.authorization === `Bearer ${TOKEN}`),
    'every report carries the agent token',
  );
  t.same(
    posts.slice(0, 3).map((p) => p.seq),
    [1, 2, 3],
    'seq 1, 2, 3 in the order sent',
  );
  t.match(posts[0]?.body, { kind: 'summary', agent: { id: 'demo-01' }, trigger: 'schedule' });
  t.notOk(
    agent.lines.some((line) => JSON.stringify(line).includes(TOKEN)),
    'the token is in no log line',
  );
  const changed = agent.lines.filter((line) => line.event === 'verdict-changed');
  t.ok(changed.length >= 5, 'each dataset’s first verdict is logged as a change');
  t.match(changed[0], { dataset: 'erp-db', from: null });
  agent.child.kill('SIGTERM');
  const exit = await agent.exited;
  t.same(exit, { code: 0, signal: null }, 'SIGTERM: exit 0');
});

t.test('a receiver that refuses for a while: reports wait on disk and all arrive once, in order', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const estate = agentEstate(t.testdir(), receiver.url, { everySeconds: 1 });
  receiver.refuseWith = 503;
  const agent = startAgent(['-c', estate.configFile, ...FAST_RETRY]);
  t.teardown(() => agent.child.kill('SIGKILL'));
  await agent.waitForLine((line) => line.event === 'run-finished' && Number(line.seq) >= 4);
  const outbox = join(estate.stateDir, 'outbox');
  t.ok(
    readdirSync(outbox).filter((name) => name.endsWith('.json') && !name.startsWith('drops')).length >= 3,
    'the refused reports wait in the outbox',
  );
  receiver.refuseWith = undefined;
  await until(() => receiver.acknowledged.size >= 5, 'the waiting reports and more');
  agent.child.kill('SIGTERM');
  t.equal((await agent.exited).code, 0);
  const stored = receiver.posts.filter((p) => p.status === 201).map((p) => p.seq);
  t.same(
    stored,
    stored.map((_, i) => i + 1),
    'every seq from 1 stored once, none missing, none twice',
  );
  t.ok(
    [...receiver.acknowledged.values()].every((n) => n === 1),
    'no report acknowledged twice',
  );
});

t.test('SIGHUP with a broken config keeps the old one; a good one is taken', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const estate = agentEstate(t.testdir(), receiver.url, { everySeconds: 1 });
  const agent = startAgent(['-c', estate.configFile, ...FAST_RETRY]);
  t.teardown(() => agent.child.kill('SIGKILL'));
  await until(() => receiver.acknowledged.size >= 1, 'a first report');
  estate.rewrite({ policy: { minCopies: 'three' } });
  agent.child.kill('SIGHUP');
  const refused = await agent.waitForLine(
    (line) => line.event === 'reload-refused' && line.path === 'policy.minCopies',
  );
  t.ok(refused.msg, 'the problem is logged, with its JSON path');
  const after = receiver.acknowledged.size;
  await until(() => receiver.acknowledged.size >= after + 2, 'reports go on under the old config');
  estate.rewrite({ policy: { minCopies: 2, minMedia: 2, minOffline: 1, rpo: '24h', rto: '24h' } });
  agent.child.kill('SIGHUP');
  await agent.waitForLine((line) => line.event === 'reloaded');
  const reloadedAt = receiver.posts.length;
  await until(
    () => receiver.posts.slice(reloadedAt).some((p) => (p.body.policy as { minCopies?: number }).minCopies === 2),
    'a report judged by the new policy',
  );
  agent.child.kill('SIGTERM');
  t.equal((await agent.exited).code, 0);
});

t.test('--once: one run, the outbox delivered, exit 0; exit 3 when the collector refuses', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const estate = agentEstate(t.testdir(), receiver.url);
  const once = startAgent(['-c', estate.configFile, '--once', ...FAST_RETRY]);
  t.same(await once.exited, { code: 0, signal: null });
  t.equal(receiver.acknowledged.size, 1);
  t.match(receiver.posts[0], { seq: 1, trigger: 'manual' });

  receiver.refuseWith = 503;
  const refused = startAgent(['-c', estate.configFile, '--once', ...FAST_RETRY]);
  t.equal((await refused.exited).code, 3, 'the report waits in the outbox: exit 3');
  receiver.refuseWith = undefined;
  const later = startAgent(['-c', estate.configFile, '--once', ...FAST_RETRY]);
  t.equal((await later.exited).code, 0);
  t.same(
    receiver.posts.filter((p) => p.status === 201).map((p) => p.seq),
    [1, 2, 3],
    'the waiting report went with the next cycle, in order',
  );
});

t.test('one agent per state dir: a second one is refused with exit 3', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const estate = agentEstate(t.testdir(), receiver.url);
  const first = startAgent(['-c', estate.configFile, ...FAST_RETRY]);
  t.teardown(() => first.child.kill('SIGKILL'));
  await first.waitForLine((line) => line.event === 'started');
  const second = startAgent(['-c', estate.configFile, '--state-wait', '0', ...FAST_RETRY]);
  t.equal((await second.exited).code, 3);
  t.match(second.stderr(), /held by agent \(pid \d+/);
  first.child.kill('SIGTERM');
  t.equal((await first.exited).code, 0);
});

t.test('one watched log change: one run of that location alone, after it settles', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  // No scheduled run in the test's life but the one at start: every later run is the watch's.
  const estate = agentEstate(t.testdir(), receiver.url, { settle: '1s', verify: '0 0 3 1 1 *' });
  const agent = startAgent(['-c', estate.configFile, ...FAST_RETRY]);
  t.teardown(() => agent.child.kill('SIGKILL'));
  await agent.waitForLine((line) => line.event === 'run-finished' && line.trigger === 'schedule');
  await agent.waitForLine((line) => line.msg === 'watching');
  const written = JSON.stringify({
    ts: new Date(Date.now() - 60_000).toISOString(),
    event: 'verified',
    media: 'LTO-000142',
    mediumType: 'tape',
    dataset: 'erp-db',
    file: 'erp-db-2026-12-05.dump',
    sha256: 'a'.repeat(64),
    bytes: 1,
  });
  appendFileSync(join(estate.root, 'offline-media.jsonl'), `${written}\n`);
  appendFileSync(join(estate.root, 'offline-media.jsonl'), '\n');
  const first = await agent.waitForLine((line) => line.event === 'run-finished' && line.trigger === 'watch');
  t.same(first.locationsRead, ['vault'], 'only the offline-media log is read again');
  // A second change, to the drill log: its run comes after any the first change could still cause.
  appendFileSync(join(estate.root, 'restore-drills.jsonl'), '\n');
  await agent.waitForLine((line) => line.event === 'run-finished' && line.trigger === 'watch' && line !== first);
  const watchRuns = agent.lines.filter((line) => line.event === 'run-finished' && line.trigger === 'watch');
  t.equal(watchRuns.length, 2, 'two changes, two runs: the appends to one log settled as one');
  t.same(watchRuns[1]?.locationsRead, [], 'a drill log change reads no location');
  agent.child.kill('SIGTERM');
  t.equal((await agent.exited).code, 0);
});

t.test('/healthz and /metrics answer while the agent runs; promtool accepts the page', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const port = await freePort();
  const estate = agentEstate(t.testdir(), receiver.url, { healthPort: port });
  const agent = startAgent(['-c', estate.configFile, ...FAST_RETRY]);
  t.teardown(() => agent.child.kill('SIGKILL'));
  await until(() => receiver.acknowledged.size >= 1, 'a first report');
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  t.equal(health.status, 200);
  t.match(await health.json(), { status: 'ok', lastResult: 'non-compliant', outbox: { reports: Number } });
  const page = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  t.match(page, /backup321_dataset_verdict\{dataset="erp-db",verdict="compliant"\} 1/);
  t.match(page, /backup321_reports_sent_total [1-9]/);
  const checked = promtool(['check', 'metrics'], page);
  t.equal(checked.code, 0, checked.output);
  agent.child.kill('SIGTERM');
  t.equal((await agent.exited).code, 0);
});

t.test('READY=1 and WATCHDOG=1 reach the NOTIFY_SOCKET; STOPPING=1 on SIGTERM', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const dir = t.testdir();
  // A socket path has room for 107 bytes: the test's own directory is deeper than that.
  const short = mkdtempSync(join(tmpdir(), 'b321-notify-'));
  t.teardown(() => rmSync(short, { recursive: true, force: true }));
  const socketPath = join(short, 'notify.sock');
  const notify = spawn('/usr/bin/python3', [NOTIFY_RECEIVER, socketPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => notify.kill());
  const messages: string[] = [];
  await new Promise<void>((resolve, reject) => {
    notify.once('exit', (code) => reject(new Error(`the notify socket's receiver exited (${code})`)));
    let buffer = '';
    notify.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === 'listening') resolve();
        else messages.push(JSON.parse(line));
      }
    });
  });
  const estate = agentEstate(join(dir, 'estate'), receiver.url);
  const agent = startAgent(['-c', estate.configFile, ...FAST_RETRY], {
    NOTIFY_SOCKET: socketPath,
    WATCHDOG_USEC: '400000',
  });
  t.teardown(() => agent.child.kill('SIGKILL'));
  await until(() => messages.some((m) => m.includes('READY=1')), 'READY=1');
  await until(() => messages.filter((m) => m.includes('WATCHDOG=1')).length >= 2, 'two watchdog pings');
  agent.child.kill('SIGTERM');
  t.equal((await agent.exited).code, 0);
  await until(() => messages.some((m) => m.includes('STOPPING=1')), 'STOPPING=1');
  t.ok(messages.findIndex((m) => m.includes('READY=1')) < messages.findIndex((m) => m.includes('STOPPING=1')));
});

t.test(
  'SIGTERM in the middle of a deep hash: the run is aborted within the grace, exit 0, no report of it',
  async (t) => {
    const receiver = await startReceiver();
    t.teardown(() => receiver.close());
    const root = t.testdir();
    // A deep run every second, no quick one after the start-up run.
    const estate = agentEstate(root, receiver.url, { verify: '0 0 3 1 1 *', deep: '* * * * * *' });
    const agent = startAgent(['-c', estate.configFile, '--grace', '1s', ...FAST_RETRY]);
    t.teardown(() => agent.child.kill('SIGKILL'));
    await agent.waitForLine((line) => line.event === 'run-finished' && line.trigger === 'schedule');
    // Then 32 GiB of holes: a deep run hashes it for minutes, a few blocks on disk.
    const fd = openSync(join(root, 'local', 'erp', 'erp-db-big.dump'), 'w');
    ftruncateSync(fd, 32 * 1024 ** 3);
    closeSync(fd);
    await until(() => hashing(agent.child.pid as number), 'a hash thread reading the big file');
    const started = agent.lines.filter((line) => line.event === 'run-started').at(-1);
    t.equal(started?.trigger, 'deep', 'the run hashing it is a deep run');
    const finishedBefore = agent.lines.filter((line) => line.event === 'run-finished').length;
    agent.child.kill('SIGTERM');
    const exit = await agent.exited;
    t.same(exit, { code: 0, signal: null });
    t.ok(
      agent.lines.some((line) => line.event === 'stopping' && line.run === 'aborted'),
      'the run was aborted',
    );
    const finished = agent.lines.filter((line) => line.event === 'run-finished').length;
    t.equal(finished, finishedBefore, 'an aborted run yields no report');
    t.ok(receiver.posts.length <= finished, 'nothing was sent for the aborted run');
  },
);

/** True while the process holds the big file open (a hash thread reads it). */
function hashing(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`).endsWith('erp-db-big.dump');
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

t.test(
  'a run longer than the schedule: the runs due meanwhile are skipped, counted, and heartbeats sent',
  async (t) => {
    const receiver = await startReceiver();
    t.teardown(() => receiver.close());
    const root = t.testdir();
    const port = await freePort();
    const estate = agentEstate(root, receiver.url, { everySeconds: 1, healthPort: port });
    const agent = startAgent(['-c', estate.configFile, ...FAST_RETRY]);
    t.teardown(() => agent.child.kill('SIGKILL'));
    await until(() => receiver.acknowledged.size >= 1, 'a first report');
    // A new 32 GiB dump (holes): the next run hashes it for minutes.
    const fd = openSync(join(root, 'local', 'erp', 'erp-db-big.dump'), 'w');
    ftruncateSync(fd, 32 * 1024 ** 3);
    closeSync(fd);
    await until(() => receiver.posts.filter((p) => p.trigger === 'heartbeat').length >= 2, 'two heartbeats');
    const beats = receiver.posts.filter((p) => p.trigger === 'heartbeat');
    const lastRun = receiver.posts.filter((p) => p.trigger === 'schedule' && p.seq < (beats[0]?.seq ?? 0)).at(-1);
    t.ok(lastRun, 'a heartbeat follows a finished run');
    t.equal(beats[0]?.body.startedAt, lastRun?.body.startedAt, "it repeats the last run's verdicts, with their time");
    t.not(beats[0]?.reportId, lastRun?.reportId, 'under an id of its own');
    t.ok((beats[1]?.seq ?? 0) > (beats[0]?.seq ?? 0), 'and a seq of its own');
    const page = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    t.match(page, /backup321_runs_skipped_total [1-9]/, 'the skipped runs are counted');
    t.ok(
      agent.lines.some((line) => line.event === 'run-skipped'),
      'and logged',
    );
  },
);

t.test(
  'kill -9 at random moments: after each restart the outbox holds whole reports, and all arrive once',
  async (t) => {
    const receiver = await startReceiver();
    t.teardown(() => receiver.close());
    const estate = agentEstate(t.testdir(), receiver.url, { everySeconds: 1 });
    const rounds = 6;
    for (let round = 0; round < rounds; round++) {
      // Half the rounds with the collector refusing: the kill then often falls between writes and sends.
      receiver.refuseWith = round % 2 === 0 ? 503 : undefined;
      const agent = startAgent(['-c', estate.configFile, ...FAST_RETRY]);
      await agent.waitForLine((line) => line.event === 'run-started');
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.floor(Math.random() * 1500)));
      agent.child.kill('SIGKILL');
      await agent.exited;
      // What the kill left: a temp file may be half written, a report under its own name never is.
      const dir = join(estate.stateDir, 'outbox');
      for (const name of readdirSync(dir).filter((n) => n.endsWith('.json') && n !== 'drops.json')) {
        const body = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { seq: number; kind: string };
        if (body.kind !== 'summary' || Number(name.slice(0, name.indexOf('-'))) !== body.seq) {
          t.fail(`round ${round}: ${name} does not hold its report`);
        }
      }
    }
    receiver.refuseWith = undefined;
    const last = startAgent(['-c', estate.configFile, '--once', ...FAST_RETRY]);
    t.equal((await last.exited).code, 0, 'the last cycle delivers everything that waited');
    const outbox = readdirSync(join(estate.stateDir, 'outbox'));
    t.same(
      outbox.filter((name) => name !== 'drops.json'),
      [],
      'the outbox is empty: nothing partial was left behind after its next open',
    );
    t.ok(
      [...receiver.acknowledged.values()].every((n) => n === 1),
      'no report stored twice',
    );
    const stored = receiver.posts.filter((p) => p.status === 201).map((p) => p.seq);
    t.same(
      stored,
      [...stored].sort((a, b) => a - b),
      'sent oldest first',
    );
    t.equal(new Set(stored).size, stored.length, 'no seq used twice');
  },
);
