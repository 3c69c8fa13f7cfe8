// The walk's reading threads as the pool starts them: each file's stat as lstatSync gives it, and
// under --deep the small files opened, stated through their descriptor and hashed.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { DirectoryJob, DirectoryListing, WalkThreadData } from '../../../src/sources/disk/directory-job.js';
import { compilePattern } from '../../../src/sources/disk/patterns.js';
import { walkPattern } from '../../../src/sources/disk/walk.js';
import { createWalkPool } from '../../../src/sources/disk/walk-pool.js';
import type { WalkMatch } from '../../../src/sources/disk/walk-types.js';
import { endThread, startThread } from '../../../src/threads.js';
import { walkContext } from './walk-context.js';

t.test("the walk's reading threads report each file's dev, inode, size and mtime as lstatSync does", async (t) => {
  const root = t.testdir({
    erp: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}.dump`, 'x'.repeat(i)])),
  });
  for (let i = 0; i < 50; i++)
    fs.utimesSync(join(root, `erp/f${i}.dump`), 1_700_000_000 + i / 7, 1_700_000_000 + i / 3);
  const walkers = createWalkPool(1);
  t.teardown(() => walkers.close());
  await walkers.ready();
  const found: WalkMatch[] = [];
  await walkPattern(walkContext(root, walkers), compilePattern('erp/*.dump'), (match) => found.push(match));
  t.equal(found.length, 50);
  const differing = found.filter((match) => {
    const s = fs.lstatSync(match.path);
    return (
      match.kind !== 'file' ||
      match.dev !== s.dev ||
      match.ino !== s.ino ||
      match.size !== s.size ||
      match.mtimeMs !== s.mtimeMs ||
      match.ctimeMs !== s.ctimeMs
    );
  });
  t.same(differing, [], 'no file differs');
});

t.test("a --deep run's reading thread, as the walk starts it, opens, states and hashes what it lists", async (t) => {
  const root = t.testdir({ 'a.dump': 'aaaa', dir: { 'b.dump': 'b' } });
  fs.symlinkSync(join(root, 'a.dump'), join(root, 'link.dump'));
  // A fractional mtime, as most filesystems keep: the milliseconds must come out to the bit.
  fs.utimesSync(join(root, 'a.dump'), 1_700_000_000.123456, 1_700_000_000.987654);
  const job: DirectoryJob = {
    path: root,
    relative: '',
    subdirectoriesMayMatch: false,
    followSymlinks: false,
    pattern: compilePattern('*.dump').rule,
    entriesPerJob: 1024,
    hash: { below: 1 << 20, budget: 1 << 26 },
  };
  const data: WalkThreadData = { bufferSize: 1024, control: new SharedArrayBuffer(4) };
  const pool = new URL('../../../src/sources/disk/walk-pool.ts', import.meta.url).href;
  const listing = await new Promise<DirectoryListing>((resolve, reject) => {
    const thread = startThread('walk-worker', pool, data, resolve);
    t.teardown(() => endThread(thread));
    thread.worker.once('error', reject);
    thread.worker.postMessage(job);
  });
  t.same(listing.names, ['a.dump'], 'the plain file; the link is not followed');
  t.same(listing.digests, [createHash('sha256').update('aaaa').digest('hex')]);
  const s = fs.lstatSync(join(root, 'a.dump'));
  t.same([...listing.stats], [s.dev, s.ino, s.size, s.mtimeMs, s.ctimeMs]);
});
