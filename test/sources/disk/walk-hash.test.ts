// verify --deep's reading threads hash the small files they list: the right digest for each, nothing
// for what they must leave to the checksum service (big files, a budget's overflow, a file that
// changed), and never a hash on the walk's own thread.
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { DirectoryJob, HashWhileListing } from '../../../src/sources/disk/directory-job.js';
import { createListingHasher, type ListingHasher } from '../../../src/sources/disk/listing-hasher.js';
import { compilePattern } from '../../../src/sources/disk/patterns.js';
import { type ListingFs, readDirectory } from '../../../src/sources/disk/read-directory.js';
import { walkPattern } from '../../../src/sources/disk/walk.js';
import { createWalkPool, hashingWalkPool, type WalkPool } from '../../../src/sources/disk/walk-pool.js';
import type { WalkContext } from '../../../src/sources/disk/walk-types.js';
import { walkContext } from './walk-context.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** path (relative to root) → sha256 the walk delivered with the match, or '-' when none. */
async function digests(
  root: string,
  hash: HashWhileListing,
  walkers: WalkPool,
  matchedBefore?: WalkContext['matchedBefore'],
): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  const ctx = walkContext(root, walkers, {
    hashWhileListing: hash,
    ...(matchedBefore ? { matchedBefore } : {}),
  });
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

t.test('files an earlier pattern matched are listed and stated, but not hashed again', async (t) => {
  const root = t.testdir({ erp: { 'a.dump': 'aaaa', 'b.dump': 'bb' }, 'top.dump': 't' });
  const pool = createWalkPool(2);
  t.teardown(() => pool.close());
  const asked: string[] = [];
  const before = (directory: string) => {
    asked.push(directory);
    return directory === join(root, 'erp') ? ['a.dump'] : directory === root ? ['top.dump'] : undefined;
  };
  const expected = { 'erp/a.dump': '-', 'erp/b.dump': sha('bb'), 'top.dump': '-' };
  t.same(await digests(root, { below: 64, budget: 1024 }, pool, before), expected);
  t.same(asked.sort(), [root, join(root, 'erp')], 'asked once per directory, by the path its files carry');
  // A location given with a trailing slash: its files are "<root>/name", so it is asked as "<root>".
  asked.length = 0;
  const slashed: Record<string, string> = {};
  const ctx = walkContext(`${root}/`, pool, {
    hashWhileListing: { below: 64, budget: 1024 },
    matchedBefore: before,
  });
  await walkPattern(ctx, compilePattern('**/*.dump'), (match) => {
    if (match.kind === 'file') slashed[match.path.slice(root.length + 1)] = match.sha256 ?? '-';
  });
  t.same(slashed, expected);
  t.same(asked.sort(), [root, join(root, 'erp')]);
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

/**
 * A walk pool whose listings are read on this thread with the fs and hasher given; its other reads
 * (the root's stat) go to a real thread.
 */
function seamPool(t: Test, fsLike: ListingFs, hasher: ListingHasher): WalkPool {
  const pool = createWalkPool(1);
  t.teardown(() => pool.close());
  return { ...pool, submit: (job: DirectoryJob) => Promise.resolve(readDirectory(fsLike, job, hasher)) };
}

t.test('a file that changes while the listing hashes it gets no digest from the listing', async (t) => {
  const root = t.testdir({ erp: { 'a.dump': 'aaaa', 'b.dump': 'bbbb' } });
  // The change happens for real, at the one moment it matters: while the file is open and read.
  const paths = new Map<number, string>();
  let grown = false;
  const growing = {
    ...fs,
    openSync: (path: fs.PathLike, flags: fs.OpenMode) => {
      const fd = fs.openSync(path, flags);
      paths.set(fd, String(path));
      return fd;
    },
    readSync: (fd: number, buffer: Buffer, offset: number, length: number, position: null) => {
      const n = fs.readSync(fd, buffer, offset, length, position);
      const path = paths.get(fd);
      if (!grown && path?.endsWith('b.dump')) {
        grown = true;
        fs.appendFileSync(path, 'more');
      }
      return n;
    },
  };
  const hasher = createListingHasher(growing, crypto, 1024 * 1024, () => false);
  t.same(await digests(root, { below: 64, budget: 1024 }, seamPool(t, growing, hasher)), {
    'erp/a.dump': sha('aaaa'),
    'erp/b.dump': '-',
  });
  t.equal(fs.readFileSync(join(root, 'erp/b.dump'), 'utf8'), 'bbbbmore', 'the change was real');
});

t.test('a linked file that changes between its stat and its hash gets no digest from the listing', async (t) => {
  const root = t.testdir({ data: { 'a.dump': 'aaaa', 'b.dump': 'bbbb' }, erp: {} });
  fs.symlinkSync(join(root, 'data/a.dump'), join(root, 'erp/a.dump'));
  fs.symlinkSync(join(root, 'data/b.dump'), join(root, 'erp/b.dump'));
  // A link is stated first (followed), then hashed: the change comes in between, as the hash opens it.
  const growing = {
    ...fs,
    openSync: (path: fs.PathLike, flags: fs.OpenMode) => {
      if (String(path).endsWith('erp/b.dump')) fs.appendFileSync(path, 'more');
      return fs.openSync(path, flags);
    },
  };
  const hasher = createListingHasher(growing, crypto, 1024 * 1024, () => false);
  const found = await digests(root, { below: 64, budget: 1024 }, seamPool(t, growing, hasher));
  t.same(Object.fromEntries(Object.entries(found).filter(([path]) => path.startsWith('erp/'))), {
    'erp/a.dump': sha('aaaa'),
    'erp/b.dump': '-',
  });
  t.equal(fs.readFileSync(join(root, 'data/b.dump'), 'utf8'), 'bbbbmore', 'the change was real');
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
    readSync(fd: number, buffer: Buffer, offset: number, length: number, position: null) {
      reads++;
      stop = true; // the abort comes while the first read is under way
      return fs.readSync(fd, buffer, offset, length, position);
    },
  };
  const hasher = createListingHasher(counting, crypto, 1024, () => stop);
  t.equal(hasher.stated(path, fs.statSync(path)), '', 'no digest for a file hashed in part');
  t.equal(reads, 1, 'one read of ten, then it stopped');
});

t.test('a directory refused by full thread queues waits for room instead of being read unhashed', async (t) => {
  const root = t.testdir({ erp: { 'a.dump': 'aaaa' }, mail: { 'b.dump': 'bb' } });
  const pool = createWalkPool(1);
  t.teardown(() => pool.close());
  await pool.ready();
  // Another location's walk holding every queue, as seen from this walk: its next directories are
  // refused a few times, and untilJobAnswered() says when to try again.
  let refusals = 3;
  let waited = 0;
  const crowded: WalkPool = {
    ...pool,
    submit: (job, reader) => (job.relative !== '' && refusals-- > 0 ? undefined : pool.submit(job, reader)),
    untilJobAnswered: () => {
      waited++;
      return new Promise((resolve) => setImmediate(() => resolve(true)));
    },
  };
  t.same(await digests(root, { below: 64, budget: 1024 }, crowded), {
    'erp/a.dump': sha('aaaa'),
    'mail/b.dump': sha('bb'),
  });
  t.ok(waited >= 1, `waited for room ${waited} times`);
});

t.test('untilJobAnswered() says true once a thread answered, false when no thread is left', async (t) => {
  const root = t.testdir({ erp: { 'a.dump': 'a' } });
  const pool = createWalkPool(1);
  await pool.ready();
  const waiting = pool.untilJobAnswered();
  const answer = pool.submit({
    path: root,
    relative: '',
    subdirectoriesMayMatch: true,
    followSymlinks: true,
    pattern: compilePattern('**/*.dump').rule,
    entriesPerJob: 1024,
  });
  t.ok(answer, 'the thread took the job');
  await answer;
  t.equal(await waiting, true);
  const pending = pool.untilJobAnswered();
  await pool.close();
  t.equal(await pending, false, 'a wait still open when the pool closes ends');
  t.equal(await pool.untilJobAnswered(), false, 'and a closed pool has no room');
});

/** Every file match of a walk: its stat, and its digest or '-'. */
async function filesFound(root: string, walkers: WalkPool, hash: HashWhileListing = { below: 1024, budget: 1 << 20 }) {
  const ctx = walkContext(root, walkers, { hashWhileListing: hash });
  const found: Record<string, ReturnType<typeof lstatFields> & { sha256: string }> = {};
  await walkPattern(ctx, compilePattern('**/*.dump'), (match) => {
    if (match.kind !== 'file') return;
    const { dev, ino, size, mtimeMs, ctimeMs } = match;
    found[match.path.slice(root.length + 1)] = { dev, ino, size, mtimeMs, ctimeMs, sha256: match.sha256 ?? '-' };
  });
  return { found, issues: ctx.issues };
}

const lstatFields = (path: string) => {
  const s = fs.lstatSync(path);
  return { dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs };
};

t.test('a file the reading thread opened and hashed is reported with the stat lstatSync gives', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 30; i++) files[`f${i}.dump`] = 'z'.repeat(i);
  const root = t.testdir({ erp: files, mail: { 'big.dump': 'x'.repeat(2000) } });
  for (let i = 0; i < 30; i++)
    fs.utimesSync(join(root, `erp/f${i}.dump`), 1_700_000_000 + i / 7, 1_700_000_000 + i / 3);
  const pool = createWalkPool(1);
  t.teardown(() => pool.close());
  await pool.ready();
  const { found, issues } = await filesFound(root, pool);
  t.same(issues, []);
  t.equal(Object.keys(found).length, 31);
  for (const [path, file] of Object.entries(found)) {
    const { sha256, ...stated } = file;
    t.same(stated, lstatFields(join(root, path)), `${path}: dev, inode, size, mtime`);
    const expected = path === 'mail/big.dump' ? '-' : sha(fs.readFileSync(join(root, path), 'utf8'));
    t.equal(sha256, expected, path === 'mail/big.dump' ? 'above `below`: stated, not hashed' : `${path}: digest`);
  }
});

t.test(
  'where a descriptor states a file otherwise than its path (old overlayfs), the thread goes back to lstat',
  async (t) => {
    const root = t.testdir({
      a: { '1.dump': 'one', '2.dump': 'two' },
      b: { '3.dump': 'three' },
      c: { '4.dump': 'four' },
      d: { '5.dump': 'five' },
    });
    // Opened before any stat: the opening that does not follow links (hashJob, after a stat, does).
    const openedFirst: string[] = [];
    const recording = {
      ...fs,
      openSync: (path: fs.PathLike, flags: number) => {
        if (flags & fs.constants.O_NOFOLLOW) openedFirst.push(String(path).slice(root.length + 1));
        return fs.openSync(path, flags);
      },
      // fstat answering for the layer beneath: another device number than the path's.
      fstatSync: (fd: number) => {
        const s = fs.fstatSync(fd);
        return { dev: s.dev + 1, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, mode: s.mode };
      },
    };
    const hasher = createListingHasher(recording, crypto, 1 << 20, () => false);
    const { found, issues } = await filesFound(root, seamPool(t, recording, hasher));
    t.same(issues, []);
    t.same(openedFirst, ['a/1.dump', 'a/2.dump', 'b/3.dump'], 'each disagreed with its lstat');
    t.equal(hasher.opens, false, 'after three disagreements no file is opened before it is stated');
    for (const [path, file] of Object.entries(found)) {
      const { sha256, ...stated } = file;
      t.same(stated, lstatFields(join(root, path)), `${path}: the path's stat, not the descriptor's`);
      t.equal(sha256, sha(fs.readFileSync(join(root, path), 'utf8')), `${path}: still hashed (stated first)`);
    }
  },
);

t.test('a job states by path only the first file it opens; the rest through their descriptors', async (t) => {
  const files = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}.dump`, `${i}`]));
  const root = t.testdir({ erp: files(40), mail: files(25) });
  const calls = { lstat: 0, opened: 0 };
  const counting = {
    ...fs,
    lstatSync: (path: string, options: { throwIfNoEntry: false }) => {
      calls.lstat++;
      return fs.lstatSync(path, options);
    },
    openSync: (path: fs.PathLike, flags: number) => {
      calls.opened++;
      return fs.openSync(path, flags);
    },
  };
  const hasher = createListingHasher(counting, crypto, 1 << 20, () => false);
  const { found, issues } = await filesFound(root, seamPool(t, counting, hasher));
  t.same(issues, []);
  t.equal(Object.keys(found).length, 65);
  t.ok(
    Object.entries(found).every(([path, { sha256 }]) => sha256 === sha(fs.readFileSync(join(root, path), 'utf8'))),
    'every file hashed',
  );
  // The two directories are stated by path (lstat), and one file in each job.
  t.same(calls, { lstat: 2 + 2, opened: 65 }, 'one lstat per directory and per job, one open per file');
});

t.test('a listed plain file replaced by a link before it is opened is not followed', async (t) => {
  const root = t.testdir({ secret: { 'other.dump': 'not this one' }, erp: { 'a.dump': 'aaaa', 'b.dump': 'bbbb' } });
  const swapping = {
    ...fs,
    openSync: (path: fs.PathLike, flags: fs.OpenMode) => {
      if (String(path).endsWith('erp/b.dump') && !fs.lstatSync(path).isSymbolicLink()) {
        fs.rmSync(path);
        fs.symlinkSync(join(root, 'secret/other.dump'), String(path));
      }
      return fs.openSync(path, flags);
    },
  };
  const hasher = createListingHasher(swapping, crypto, 1 << 20, () => false);
  const { found } = await filesFound(join(root, 'erp'), seamPool(t, swapping, hasher));
  // Listed as a plain file, a link by the time it is stated: what the walk always did with such an entry.
  t.same(Object.keys(found), ['a.dump']);
  t.equal(found['a.dump']?.sha256, sha('aaaa'));
});

t.test('a file removed between the listing and its opening is reported vanished, as before', async (t) => {
  const root = t.testdir({ erp: { 'a.dump': 'aaaa', 'b.dump': 'bbbb' } });
  const removing = {
    ...fs,
    openSync: (path: fs.PathLike, flags: fs.OpenMode) => {
      if (String(path).endsWith('b.dump')) fs.rmSync(path, { force: true });
      return fs.openSync(path, flags);
    },
  };
  const hasher = createListingHasher(removing, crypto, 1 << 20, () => false);
  const { found, issues } = await filesFound(root, seamPool(t, removing, hasher));
  t.same(Object.keys(found), ['erp/a.dump']);
  t.match(issues, [{ code: 'B321_VANISHED', message: /erp\/b\.dump/ }]);
  t.equal(hasher.opens, true, 'a vanished file says nothing against the descriptor');
});
