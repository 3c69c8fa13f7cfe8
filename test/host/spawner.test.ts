// The run's spawner: the host's programs start in a child forked before any location is read, so a
// program's exec never waits on a hung mount's file held by this process (the FUSE case is in
// test/sources/disk/hung-mount.test.ts). Here: what a caller gets back, aborts, sharing, and the refusal
// to fork while this process reads locations.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { NO_SAFE_START, runProgram, useSpawner } from '../../src/host/spawner.js';
import { walkPoolFor } from '../../src/sources/disk/walk-pool.js';

/** The pids of this process's children that are Node processes (the spawner), from /proc. */
async function nodeChildren(): Promise<number[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const found: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const status = await readFile(`/proc/${name}/status`, 'utf8').catch(() => '');
    const parent = /^PPid:\s+(\d+)/m.exec(status)?.[1];
    const command = /^Name:\s+(\S+)/m.exec(status)?.[1];
    if (Number(parent) === process.pid && command === 'node') found.push(Number(name));
  }
  return found;
}

t.test('a program started through the spawner: its output, its exit code, and a missing one', async (t) => {
  const release = useSpawner();
  t.teardown(release);
  const spawners = await nodeChildren();
  t.equal(spawners.length, 1, 'one spawner child runs for the run');
  const echoed = await runProgram('sh', ['-c', 'echo "$GREETING"; echo err >&2; exit 3'], {
    timeoutMs: 10_000,
    env: { GREETING: 'xin chào' },
  });
  t.same(
    { exitCode: echoed.exitCode, stdout: echoed.stdout, stderr: echoed.stderr },
    { exitCode: 3, stdout: 'xin chào\n', stderr: 'err\n' },
    'stdout, stderr and the exit code come back; env is added to the environment',
  );
  t.notOk(echoed.startError, 'a program that ran and failed is not a start error');
  const missing = await runProgram('backup321-no-such-program', [], { timeoutMs: 10_000 });
  t.match(missing.startError, /ENOENT/, 'a program that is not installed says so');
  t.equal(missing.exitCode, null);
});

t.test('an abort and a timeout kill the program; the spawner serves on', async (t) => {
  const release = useSpawner();
  t.teardown(release);
  const controller = new AbortController();
  const sleeping = runProgram('sleep', ['600'], { timeoutMs: 600_000, signal: controller.signal });
  setTimeout(() => controller.abort(), 200);
  const aborted = await sleeping;
  t.equal(aborted.signal, 'SIGKILL', 'an aborted program is killed');
  const timedOut = await runProgram('sleep', ['600'], { timeoutMs: 300 });
  t.equal(timedOut.signal, 'SIGKILL', 'a program past its timeout is killed');
  const after = await runProgram('true', [], { timeoutMs: 10_000 });
  t.equal(after.exitCode, 0, 'and the next program still runs');
});

t.test('overlapping runs share one spawner; it ends with the last of them', async (t) => {
  const first = useSpawner();
  const second = useSpawner();
  const [pid] = await nodeChildren();
  t.ok(pid, 'a spawner runs');
  t.equal((await nodeChildren()).length, 1, 'the second run shares it');
  await first();
  t.equal((await runProgram('true', [], { timeoutMs: 10_000 })).exitCode, 0, 'it serves the run still going');
  await first();
  t.ok(existsSync(`/proc/${pid}`), 'releasing twice does not end it under the other run');
  await second();
  t.notOk(existsSync(`/proc/${pid}`), 'it ends with the last');
});

t.test('no fork while this process reads locations without a spawner: the program is not started', async (t) => {
  const pool = walkPoolFor(1);
  t.teardown(() => pool.close());
  await pool.ready();
  const release = useSpawner();
  t.teardown(release);
  t.same(await nodeChildren(), [], 'no spawner is forked beside a reading thread');
  const refused = await runProgram('true', [], { timeoutMs: 10_000 });
  t.equal(refused.startError, NO_SAFE_START, 'the program is refused, with the reason');
});

t.test('without a run and without reading threads (backup321 media): programs start from this process', async (t) => {
  t.same(await nodeChildren(), [], 'no spawner');
  const ran = await runProgram('sh', ['-c', 'echo here'], { timeoutMs: 10_000 });
  t.same({ exitCode: ran.exitCode, stdout: ran.stdout }, { exitCode: 0, stdout: 'here\n' });
});

t.test('a module preloaded with --import that listens for messages does not take the first request', async (t) => {
  // The spawner child inherits this process's --import; one such module (test/agent/clock-shift.mjs)
  // listened before the child did, and the first request, sent before the child was ready, was lost.
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      fileURLToPath(new URL('../agent/clock-shift.mjs', import.meta.url)),
      fileURLToPath(new URL('spawner-preload-run.mjs', import.meta.url)),
      new URL('../../dist/', import.meta.url).href,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  t.equal(run.status, 0, run.stderr);
  const printed = JSON.parse(run.stdout) as { first: { stdout: string; startError?: string }; devices: boolean };
  t.notOk(printed.first.startError, 'the first program is started, not given up on');
  t.equal(printed.first.stdout, 'first\n', 'and its output comes back');
  t.ok(printed.devices, 'the block device list is answered too');
});
