// verify --deep's reading threads hash the small files they list: the right digest for each, nothing
// for what they must leave to the checksum service (big files, a budget's overflow, a file that
// changed), and never a hash on the walk's own thread.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { MANIFEST_NAMES, SIDECAR_SUFFIXES } from '../../src/integrity/checksum-file.js';
import { compilePattern } from '../../src/sources/disk-patterns.js';
import { walkPattern } from '../../src/sources/disk-walk.js';
import { createWalkPool, hashingWalkPool, type WalkPool } from '../../src/sources/walk-pool.js';
import {
  compileListingHasher,
  compileReadDirectory,
  type DirectoryJob,
  type HashWhileListing,
} from '../../src/sources/walk-worker-source.js';
import { walkContext } from './walk-context.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** path (relative to root) → sha256 the walk delivered with the match, or '-' when none. */
async function digests(root: string, hash: HashWhileListing, walkers?: WalkPool): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  const ctx = walkContext(root, { hashWhileListing: hash, ...(walkers ? { walkers } : {}) });
  await walkPattern(ctx, compilePattern('**/*.dump'), (match) => {
    if (match.kind === 'file') found[match.path.slice(root.length + 1)] = match.sha256 ?? '-';
  });
  return found;
}

t.test('the reading threads hash each small file they list, with the digest of its content', async (t) => {
  const root = t.testdir({
    erp: { 'a.dump': 'aaaa', 'b.dump': 'bb', 'big.dump': 'x'.repeat(100), 'a.dump.sha256': 'not hashed' },
    mail: { 'c.dump': '' },
  });
  fs.symlinkSync(join(root, 'erp/a.dump'), join(root, 'mail/link.dump'));
  const pool = createWalkPool(2);
  t.teardown(() => pool.close());

  const found = await digests(root, { below: 64, budget: 1024 }, pool);
  t.same(found, {
    'erp/a.dump': sha('aaaa'),
    'erp/b.dump': sha('bb'),
    'erp/big.dump': '-',
    'mail/c.dump': sha(''),
    'mail/link.dump': sha('aaaa'),
  });
  t.match(found, { 'erp/big.dump': '-' }, 'above `below`: left to the checksum service');
});

t.test('a job hashes no more than its byte budget; the rest is left to the checksum service', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 10; i++) files[`f${i}.dump`] = 'y'.repeat(10);
  const root = t.testdir({ flat: files });
  const pool = createWalkPool(1);
  t.teardown(() => pool.close());
  const found = await digests(root, { below: 64, budget: 35 }, pool);
  const hashed = Object.values(found).filter((digest) => digest !== '-');
  t.equal(Object.keys(found).length, 10, 'every file is still a match');
  t.equal(hashed.length, 3, '3 files of 10 bytes fit a budget of 35');
  t.ok(
    hashed.every((digest) => digest === sha('y'.repeat(10))),
    'each with its own content digest',
  );
});

t.test('without reading threads the walk hashes nothing itself, --deep or not', async (t) => {
  const root = t.testdir({ erp: { 'a.dump': 'aaaa' } });
  t.same(await digests(root, { below: 64, budget: 1024 }), { 'erp/a.dump': '-' });
});

t.test('a file that changes between its stat and its hash gets no digest from the listing', async (t) => {
  const root = t.testdir({ erp: { 'a.dump': 'aaaa', 'b.dump': 'bbbb' } });
  const readDirectory = compileReadDirectory();
  // The change happens for real, at the one moment it matters: after the walk's stat, as the hash opens it.
  const growing = {
    ...fs,
    openSync: (path: fs.PathLike, flags: fs.OpenMode) => {
      if (String(path).endsWith('b.dump')) fs.appendFileSync(path, 'more');
      return fs.openSync(path, flags);
    },
  };
  const hashFile = compileListingHasher()(growing, createHash, 1024 * 1024, () => false);
  const checksumNames = { sidecarSuffixes: SIDECAR_SUFFIXES, manifestNames: MANIFEST_NAMES };
  const seam: WalkPool = {
    threads: 1,
    submit: (job: DirectoryJob) => Promise.resolve(readDirectory(fs, job, checksumNames, new Map(), hashFile)),
    ready: async () => {},
    stopHashing: () => {},
    room: async () => false,
    close: async () => {},
  };
  t.same(await digests(root, { below: 64, budget: 1024 }, seam), {
    'erp/a.dump': sha('aaaa'),
    'erp/b.dump': '-',
  });
  t.equal(fs.readFileSync(join(root, 'erp/b.dump'), 'utf8'), 'bbbbmore', 'the change was real');
});

t.test('--deep gets one hashing thread per hash thread, at least one, at most eight', async (t) => {
  for (const [asked, threads] of [
    [3, 3],
    [1, 1],
    [0, 1],
    [64, 8],
  ] as const) {
    const pool = hashingWalkPool(asked);
    t.equal(pool.threads, threads, `${asked} hash threads`);
    await pool.close();
  }
});

t.test('a pool told to stop hashing (an aborted run) still lists every file, and hashes none', async (t) => {
  const root = t.testdir({ erp: { 'a.dump': 'aaaa', 'b.dump': 'bb' }, mail: { 'c.dump': 'c' } });
  const pool = createWalkPool(2);
  t.teardown(() => pool.close());
  await pool.ready();
  pool.stopHashing();
  t.same(await digests(root, { below: 64, budget: 1024 }, pool), {
    'erp/a.dump': '-',
    'erp/b.dump': '-',
    'mail/c.dump': '-',
  });
});

t.test('a stopped hasher stops between the reads of a file, too', async (t) => {
  const root = t.testdir({ 'big.dump': 'x'.repeat(10_000) });
  const path = join(root, 'big.dump');
  let stop = false;
  let reads = 0;
  const counting = {
    ...fs,
    readSync(...args: Parameters<typeof fs.readSync>) {
      reads++;
      stop = true; // the abort comes while the first read is under way
      return fs.readSync(...args);
    },
  };
  const hashFile = compileListingHasher()(counting, createHash, 1024, () => stop);
  t.equal(hashFile(path, fs.statSync(path)), '', 'no digest for a file hashed in part');
  t.equal(reads, 1, 'one read of ten, then it stopped');
});

t.test('a directory refused by full thread queues waits for room instead of being read unhashed', async (t) => {
  const root = t.testdir({ erp: { 'a.dump': 'aaaa' }, mail: { 'b.dump': 'bb' } });
  const pool = createWalkPool(1);
  t.teardown(() => pool.close());
  await pool.ready();
  // Another location's walk holding every queue, as seen from this walk: its next directories are
  // refused a few times, and room() says when to try again.
  let refusals = 3;
  let waited = 0;
  const crowded: WalkPool = {
    threads: 1,
    submit: (job) => (job.relative !== '' && refusals-- > 0 ? undefined : pool.submit(job)),
    ready: () => pool.ready(),
    stopHashing: () => pool.stopHashing(),
    room: () => {
      waited++;
      return new Promise((resolve) => setImmediate(() => resolve(true)));
    },
    close: () => pool.close(),
  };
  t.same(await digests(root, { below: 64, budget: 1024 }, crowded), {
    'erp/a.dump': sha('aaaa'),
    'mail/b.dump': sha('bb'),
  });
  t.ok(waited >= 1, `waited for room ${waited} times`);
});

t.test('room() says true once a thread answered, false when no thread is left', async (t) => {
  const root = t.testdir({ erp: { 'a.dump': 'a' } });
  const pool = createWalkPool(1);
  await pool.ready();
  const waiting = pool.room();
  const answer = pool.submit({
    path: root,
    relative: '',
    deeper: true,
    followSymlinks: true,
    pattern: compilePattern('**/*.dump').rule,
    share: 1024,
  });
  t.ok(answer, 'the thread took the job');
  await answer;
  t.equal(await waiting, true);
  const pending = pool.room();
  await pool.close();
  t.equal(await pending, false, 'a wait still open when the pool closes ends');
  t.equal(await pool.room(), false, 'and a closed pool has no room');
});
