// A closing hash pool waits for a thread held by a hung mount only as long as that read's own location
// allows: its location may have given up through another thread (a walk thread's sidecar read) before
// the pool's watchdog had its turn, and the run's longest limit (another location's 5 minutes) must
// not hold the run. A FUSE share whose server stops answering holds the read for real.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { createHashPool } from '../../src/integrity/worker-pool.js';
import { threadsHeldByHungMounts } from '../../src/threads.js';
import { cannotMountFuse, endsWithin, mountMirrorFor } from '../fixtures/fuse-mount.js';

const skip = cannotMountFuse();
if (skip) t.comment(`pool-close-hung tests skipped: ${skip}`);

const fileOf = (path: string, answerWithinMs: number) => {
  const stats = statSync(path);
  const notAnswering = (): void => undefined;
  return { path, ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, answer: { answerWithinMs, notAnswering } };
};

t.test(
  'a read its location gave up on is waited for no longer than its own limit',
  { skip: skip ?? false },
  async (t) => {
    const root = t.testdir({ export: { 'stuck.dump': 'x'.repeat(4096) }, 'local.dump': 'local copy' });
    const { mountPoint, release } = await mountMirrorFor(t, join(root, 'export'), 'read:stuck.dump');
    const pool = createHashPool({ workers: 2, bufferSize: 64 * 1024 });
    t.teardown(() => pool.close());
    // A local file with the default limit: the longest limit the pool has seen is now 5 minutes.
    const local = await pool.hash(fileOf(join(root, 'local.dump'), 300_000));
    t.equal(local.ok, true, 'the local file is hashed');

    const location = new AbortController();
    const held = pool.hash(fileOf(join(mountPoint, 'stuck.dump'), 1_500), location.signal);
    // Long enough for a thread to be in the read, well before the watchdog would notice it (1.5 s).
    await new Promise((done) => setTimeout(done, 300));
    location.abort();
    t.match(await held, { ok: false, reason: 'aborted' }, "the job ends with its location's abort");

    const closing = Date.now();
    await endsWithin(pool.close(), 20_000, "the pool's close");
    const waitedMs = Date.now() - closing;
    t.ok(waitedMs < 20_000, `closed in ${waitedMs} ms, within what was left of the read's 1.5 s, not 5 minutes`);
    t.equal(threadsHeldByHungMounts(), 1, 'the thread held by the mount is given up on and counted');

    release();
    for (let i = 0; i < 100 && threadsHeldByHungMounts() > 0; i++) await new Promise((done) => setTimeout(done, 50));
    t.equal(threadsHeldByHungMounts(), 0, 'once the mount is gone, its read fails and the thread ends');
  },
);
