import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { lockStateDir, STATE_LOCK_NAME } from '../../src/state/state-lock.js';

const lockFile = (dir: string) => join(dir, STATE_LOCK_NAME);
const holderIn = (dir: string) => JSON.parse(readFileSync(lockFile(dir), 'utf8'));

/** A pid that ran on this host and has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

function writeForeignLock(dir: string, holder: object, ageMs: number): void {
  writeFileSync(lockFile(dir), `${JSON.stringify(holder)}\n`);
  const at = new Date(Date.now() - ageMs);
  utimesSync(lockFile(dir), at, at);
}

t.test('a free state dir is locked, and a second taker is told who holds it', async (t) => {
  const dir = t.testdir();
  const first = await lockStateDir(dir, { purpose: 'agent', waitMs: 0 });
  t.ok(first.lock, 'the first taker holds the lock');
  t.match(holderIn(dir), { pid: process.pid, host: hostname(), purpose: 'agent' });
  const second = await lockStateDir(dir, { purpose: 'verify', waitMs: 0 });
  t.equal(second.lock, undefined, 'the second does not');
  t.match(second.lock ? {} : second.heldBy, { pid: process.pid, purpose: 'agent' });
  await first.lock?.release();
  t.notOk(existsSync(lockFile(dir)), 'release removes the lock file');
});

t.test('a waiting taker gets the lock as soon as it is released, within its wait', async (t) => {
  const dir = t.testdir();
  const first = await lockStateDir(dir, { purpose: 'agent', waitMs: 0 });
  setTimeout(() => first.lock?.release(), 150);
  const started = Date.now();
  const second = await lockStateDir(dir, { purpose: 'verify', waitMs: 10_000 });
  t.ok(second.lock, 'taken after the release');
  t.ok(Date.now() - started < 5_000, 'without waiting out the whole wait');
  t.match(holderIn(dir), { purpose: 'verify' });
  await second.lock?.release();
});

t.test('a taker that cannot get the lock gives up after its wait, never later', async (t) => {
  const dir = t.testdir();
  const first = await lockStateDir(dir, { purpose: 'agent', waitMs: 0 });
  const started = Date.now();
  const second = await lockStateDir(dir, { purpose: 'verify', waitMs: 300 });
  const waited = Date.now() - started;
  t.equal(second.lock, undefined);
  t.ok(waited >= 300, `waited its 300 ms (${waited})`);
  t.ok(waited < 3_000, `and returned soon after (${waited})`);
  await first.lock?.release();
});

t.test('mutual exclusion: of many takers at once, one holds the lock at a time', async (t) => {
  const dir = t.testdir();
  let holding = 0;
  let most = 0;
  const taker = async () => {
    const { lock } = await lockStateDir(dir, { purpose: 'verify', waitMs: 20_000 });
    if (!lock) throw new Error('did not get the lock');
    holding++;
    most = Math.max(most, holding);
    await new Promise((resolve) => setTimeout(resolve, 10));
    holding--;
    await lock.release();
  };
  await Promise.all(Array.from({ length: 12 }, taker));
  t.equal(most, 1);
  t.notOk(existsSync(lockFile(dir)));
});

t.test('a lock left by a process of this host that no longer runs is taken over at once', async (t) => {
  const dir = t.testdir();
  const pid = deadPid();
  writeForeignLock(dir, { pid, host: hostname(), purpose: 'agent', since: '2026-01-01T00:00:00Z', token: 'x' }, 0);
  const { lock } = await lockStateDir(dir, { purpose: 'verify', waitMs: 0 });
  t.ok(lock, `pid ${pid} is gone: its lock is stale`);
  t.equal(holderIn(dir).pid, process.pid);
  await lock?.release();
});

t.test('a lock of another host stands while it is refreshed, and is taken over once it is stale', async (t) => {
  const dir = t.testdir();
  const other = { pid: 1, host: 'backup-02', purpose: 'agent', since: '2026-01-01T00:00:00Z', token: 'y' };
  writeForeignLock(dir, other, 5_000);
  const fresh = await lockStateDir(dir, { purpose: 'verify', waitMs: 0, staleMs: 60_000 });
  t.same(fresh.lock ? undefined : fresh.heldBy, other, 'refreshed 5 s ago: held');
  writeForeignLock(dir, other, 120_000);
  const stale = await lockStateDir(dir, { purpose: 'verify', waitMs: 0, staleMs: 60_000 });
  t.ok(stale.lock, 'not refreshed for 2 min: stale');
  await stale.lock?.release();
});

t.test('a lock file cut short by a crash is judged by its age alone', async (t) => {
  const dir = t.testdir();
  writeForeignLock(dir, {}, 1_000);
  t.equal((await lockStateDir(dir, { purpose: 'verify', waitMs: 0, staleMs: 60_000 })).lock, undefined);
  writeFileSync(lockFile(dir), '{"pid":');
  utimesSync(lockFile(dir), new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
  const { lock } = await lockStateDir(dir, { purpose: 'verify', waitMs: 0, staleMs: 60_000 });
  t.ok(lock);
  await lock?.release();
});

t.test('a holder whose lock was taken over knows it, and its release leaves the new lock alone', async (t) => {
  const dir = t.testdir();
  const { lock } = await lockStateDir(dir, { purpose: 'agent', waitMs: 0 });
  t.equal(await lock?.stillHeld(), true);
  const newer = { pid: 1, host: 'backup-02', purpose: 'agent', since: '2026-01-01T00:00:00Z', token: 'z' };
  writeForeignLock(dir, newer, 0);
  t.equal(await lock?.stillHeld(), false);
  await lock?.release();
  t.same(holderIn(dir), newer);
});

t.test('a held lock is refreshed, so a long run is not taken for a dead one', async (t) => {
  const dir = t.testdir();
  const { lock } = await lockStateDir(dir, { purpose: 'agent', waitMs: 0, staleMs: 4_000 });
  const old = new Date(Date.now() - 3_000);
  utimesSync(lockFile(dir), old, old);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const other = await lockStateDir(dir, { purpose: 'verify', waitMs: 0, staleMs: 4_000 });
  t.equal(other.lock, undefined, 'still held');
  await lock?.release();
});

t.test('waiting for a lock stops at once when the run is aborted', async (t) => {
  const dir = t.testdir();
  const first = await lockStateDir(dir, { purpose: 'agent', waitMs: 0 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const started = Date.now();
  await t.rejects(lockStateDir(dir, { purpose: 'verify', waitMs: 60_000, signal: controller.signal }), {
    name: 'AbortError',
  });
  t.ok(Date.now() - started < 2_000);
  await first.lock?.release();
});
