// Tests the disk source's hash queue: jobs are applied to their copies, and the walk can wait while it is long.
import t from 'tap';
import type { ChecksumService, HashOutcome } from '../../../src/integrity/types.js';
import type { Copy } from '../../../src/model.js';
import { createHashQueue } from '../../../src/sources/disk/hash-queue.js';

/** A checksum service whose answers the test releases by hand. */
function heldService(): { service: ChecksumService; release: () => void; calls: () => number } {
  let waiting: Array<() => void> = [];
  let calls = 0;
  const service: ChecksumService = {
    cached: () => undefined,
    cacheReady: true,
    cacheReadyFor: () => true,
    untilCacheReady: () => Promise.resolve(),
    hashFile: async () => {
      calls++;
      await new Promise<void>((resolve) => waiting.push(resolve));
      return {
        ok: true,
        sha256: 'ab'.repeat(32),
        hashedAt: '2026-11-24T00:00:00.000Z',
        fromCache: false,
      } as HashOutcome;
    },
    recordHashed: () => {
      throw new Error('the hash queue hashes through hashFile only');
    },
    stats: () => ({ filesHashed: 0, bytesHashed: 0, cacheHits: 0 }),
    close: async () => {},
  };
  const release = () => {
    const now = waiting;
    waiting = [];
    for (const resolve of now) resolve();
  };
  return { service, release, calls: () => calls };
}

const copyFor = (path: string) => ({ id: path, path }) as unknown as Copy;

t.test(
  'untilQueuedAtMost() waits while more jobs than the limit are queued, and resolves once hashing takes them',
  async (t) => {
    const { service, release } = heldService();
    const queue = createHashQueue({ checksums: service, deep: false, concurrency: 1, now: new Date(), issues: [] });
    const copies = Array.from({ length: 5 }, (_, i) => copyFor(`/b/${i}`));
    for (const copy of copies) queue.push({ path: copy.path, dev: 1, ino: 1, size: 1, mtimeMs: 1, ctimeMs: 1, copy });
    await new Promise((resolve) => setImmediate(resolve));
    // One job is with the service, four wait.
    let roomy = false;
    const room = queue.untilQueuedAtMost(2).then(() => {
      roomy = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    t.equal(roomy, false, 'four waiting is more than two');
    await t.resolves(queue.untilQueuedAtMost(4), 'four waiting is not more than four');
    for (let i = 0; i < 3 && !roomy; i++) {
      release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await room;
    t.equal(roomy, true);
    const finished = queue.finish();
    for (let i = 0; i < 10; i++) {
      release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await finished;
    t.ok(
      copies.every((copy) => copy.sha256 === 'ab'.repeat(32)),
      'every copy got its checksum',
    );
  },
);

t.test('at most `concurrency` files are with the service at once, however the jobs arrive', async (t) => {
  const { service, release, calls } = heldService();
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  const queue = createHashQueue({ checksums: service, deep: false, concurrency: 3, now: new Date(), issues: [] });
  await tick();
  t.equal(calls(), 0, 'nothing asked before a job comes');
  const copies = Array.from({ length: 8 }, (_, i) => copyFor(`/b/${i}`));
  const push = (copy: Copy) => queue.push({ path: copy.path, dev: 1, ino: 1, size: 1, mtimeMs: 1, ctimeMs: 1, copy });
  for (const copy of copies.slice(0, 2)) push(copy);
  await tick();
  t.equal(calls(), 2, 'two jobs, two at the service');
  for (const copy of copies.slice(2, 7)) push(copy);
  await tick();
  t.equal(calls(), 3, 'seven jobs, three at the service');
  release();
  await tick();
  t.equal(calls(), 6, 'three answered, the next three asked');
  const finished = queue.finish();
  for (let i = 0; i < 4; i++) {
    release();
    await tick();
  }
  await finished;
  t.equal(calls(), 7);
  t.same(
    copies.map((copy) => copy.sha256 !== undefined),
    [true, true, true, true, true, true, true, false],
    'every job pushed was applied; the copy never pushed was not',
  );
});

t.test('a queue that gets no job finishes at once and asks the service nothing', async (t) => {
  const { service, calls } = heldService();
  const queue = createHashQueue({ checksums: service, deep: false, concurrency: 256, now: new Date(), issues: [] });
  await queue.finish();
  t.equal(calls(), 0);
});
