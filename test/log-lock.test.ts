// The append lock: held around one append, released after, and never left to block operators forever.
import t from 'tap';
import { existsSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { withLogLock } from '../src/log-lock.js';

t.test('the lock file exists only while the action runs, also when it throws', async (t) => {
  const log = join(t.testdir({}), 'media.jsonl');
  t.equal(
    withLogLock(log, () => existsSync(`${log}.lock`)),
    true,
  );
  t.notOk(existsSync(`${log}.lock`));
  t.throws(
    () =>
      withLogLock(log, () => {
        throw new Error('boom');
      }),
    /boom/,
  );
  t.notOk(existsSync(`${log}.lock`));
});

t.test('a lock held by a live process makes the append wait, then fail with who holds it', async (t) => {
  const log = join(t.testdir({}), 'media.jsonl');
  writeFileSync(`${log}.lock`, `${process.pid}@${hostname()}\n`);
  t.throws(() => withLogLock(log, () => 1, { timeoutMs: 50 }), {
    message: new RegExp(`held by ${process.pid}@`),
  });
  t.ok(existsSync(`${log}.lock`), "a live holder's lock is not removed");
});

t.test('a lock left by a dead process on this host is removed', async (t) => {
  const log = join(t.testdir({}), 'media.jsonl');
  writeFileSync(`${log}.lock`, `2147483646@${hostname()}\n`);
  t.equal(
    withLogLock(log, () => 'ran', { timeoutMs: 50 }),
    'ran',
  );
});

t.test('a lock older than staleMs (e.g. from another host) is removed', async (t) => {
  const log = join(t.testdir({}), 'media.jsonl');
  writeFileSync(`${log}.lock`, '1@another-host\n');
  t.throws(() => withLogLock(log, () => 1, { timeoutMs: 20 }), /another-host/);
  const old = new Date(Date.now() - 60_000);
  utimesSync(`${log}.lock`, old, old);
  t.equal(
    withLogLock(log, () => 'ran', { timeoutMs: 20 }),
    'ran',
  );
});

t.test('an empty lock file (holder not written yet) is waited for, not stolen', async (t) => {
  const log = join(t.testdir({}), 'media.jsonl');
  writeFileSync(`${log}.lock`, '');
  t.throws(() => withLogLock(log, () => 1, { timeoutMs: 20 }), /held by unknown/);
});

t.test('a lock that cannot be created (no such directory) is an error, not a wait', async (t) => {
  t.throws(() => withLogLock(join(t.testdir({}), 'missing', 'x.jsonl'), () => 1), { code: 'ENOENT' });
});
