// The walk's lstat and the hash's fstat: the same answers as fs.lstatSync / fs.fstatSync, from Node's fs
// binding only once a first real answer has proved it, and Node's call for good when the binding
// answers otherwise or does not fit.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import t, { type Test } from 'tap';
import type { HashThreadData } from '../../src/integrity/hash-job.js';
import {
  createFstat,
  createLstat,
  type StatBinding,
  type StatFacts,
  statBinding,
} from '../../src/integrity/stat-source.js';
import type { DirectoryJob, DirectoryListing, WalkThreadData } from '../../src/sources/disk/directory-job.js';
import { compilePattern } from '../../src/sources/disk/patterns.js';
import { walkPattern } from '../../src/sources/disk/walk.js';
import { createWalkPool } from '../../src/sources/disk/walk-pool.js';
import type { WalkMatch } from '../../src/sources/disk/walk-types.js';
import { endThread, startThread } from '../../src/threads.js';
import { walkContext } from '../sources/disk/walk-context.js';

type BindingLstat = NonNullable<StatBinding['lstat']>;
type BindingFstat = NonNullable<StatBinding['fstat']>;

// The tests of the real binding need it: asking for pending deprecation turns it off (on purpose).
const pendingAsked =
  /--pending[-_]deprecation/.test([...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ')) ||
  process.env.NODE_PENDING_DEPRECATION === '1';
const withBinding = pendingAsked ? { skip: 'this run asked for pending deprecation: process.binding is not used' } : {};

const factsOf = (s: StatFacts | undefined) =>
  s && { dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, mode: s.mode };

function tree(t: Test): string {
  const root = t.testdir({ 'a.dump': 'aaaa', dir: { 'b.dump': 'b' } });
  fs.symlinkSync(join(root, 'a.dump'), join(root, 'link.dump'));
  // A fractional mtime, as most filesystems keep: the milliseconds must come out to the bit.
  fs.utimesSync(join(root, 'a.dump'), 1_700_000_000.123456, 1_700_000_000.987654);
  return root;
}

t.test(
  'on this Node the binding is found, proved by its first answer, and answers as lstatSync does',
  withBinding,
  async (t) => {
    const root = tree(t);
    const binding = statBinding(process);
    t.ok(binding, 'process.binding("fs") has an lstat here (Node 20–24, no permission model)');
    const lstat = createLstat(fs, binding);
    t.equal(lstat.via, 'unchecked');
    t.equal(lstat(join(root, 'missing.dump')), undefined, 'a missing entry: undefined');
    t.equal(lstat.via, 'unchecked', 'two agreeing "missing" answers prove nothing');
    for (const name of ['a.dump', 'dir', 'link.dump', 'dir/b.dump']) {
      const path = join(root, name);
      t.same(factsOf(lstat(path)), factsOf(fs.lstatSync(path)), `${name}: dev, inode, size, mtime, ctime and mode`);
    }
    t.equal(lstat.via, 'binding', 'trusted after its first real answer matched');
    t.equal(
      (lstat(join(root, 'link.dump')) as StatFacts).mode & fs.constants.S_IFMT,
      fs.constants.S_IFLNK,
      'a symlink is stated, not followed',
    );
    t.equal(lstat(join(root, 'gone')), undefined, 'missing, once trusted');
    const error = (fn: () => unknown) => {
      try {
        fn();
      } catch (caught) {
        return (caught as NodeJS.ErrnoException).code;
      }
      return 'no error';
    };
    const notADirectory = join(root, 'a.dump', 'x');
    t.equal(
      error(() => lstat(notADirectory)),
      error(() => fs.lstatSync(notADirectory)),
      'errors as lstatSync throws them',
    );
  },
);

t.test(
  'a binding that answers other numbers every time is dropped after three answers, all of them from lstatSync',
  withBinding,
  async (t) => {
    const root = tree(t);
    const real = statBinding(process) as StatBinding;
    // An mtime off by a microsecond (a nanosecond is below a double's resolution at today's mtimes):
    // what a changed layout or rounding would look like.
    const skewed: StatBinding = {
      lstat: (...args: Parameters<BindingLstat>) => {
        const values = (real.lstat as BindingLstat)(...args);
        if (values) values[13] = (values[13] as number) + 1000;
        return values;
      },
    };
    const lstat = createLstat(fs, skewed);
    const path = join(root, 'a.dump');
    for (const round of [1, 2, 3]) {
      t.same(factsOf(lstat(path)), factsOf(fs.lstatSync(path)), `answer ${round} is lstatSync's`);
      t.equal(lstat.via, round < 3 ? 'unchecked' : 'node');
    }
    t.same(factsOf(lstat(path)), factsOf(fs.lstatSync(path)), 'and every later answer');
  },
);

t.test('one disagreement (a file changing between the two calls) does not drop the binding', withBinding, async (t) => {
  const root = tree(t);
  const real = statBinding(process) as StatBinding;
  let calls = 0;
  // The first answer comes from before a write: one size less than lstatSync sees a moment later.
  const racing: StatBinding = {
    lstat: (...args: Parameters<BindingLstat>) => {
      const values = (real.lstat as BindingLstat)(...args);
      if (values && ++calls === 1) values[8] = (values[8] as number) - 1;
      return values;
    },
  };
  const lstat = createLstat(fs, racing);
  const path = join(root, 'a.dump');
  t.same(factsOf(lstat(path)), factsOf(fs.lstatSync(path)), "the answer is lstatSync's");
  t.equal(lstat.via, 'unchecked');
  t.same(factsOf(lstat(path)), factsOf(fs.lstatSync(path)));
  t.equal(lstat.via, 'binding', 'trusted once an answer agrees');
});

t.test('a binding that throws where lstatSync answers (another signature) is dropped', async (t) => {
  const root = tree(t);
  const lstat = createLstat(fs, {
    lstat: () => {
      throw new TypeError('The "path" argument must be of type string');
    },
  });
  const path = join(root, 'a.dump');
  t.same(factsOf(lstat(path)), factsOf(fs.lstatSync(path)));
  t.equal(lstat.via, 'node');
});

t.test('a binding that says "missing" where lstatSync finds the file is dropped', async (t) => {
  const root = tree(t);
  const lstat = createLstat(fs, { lstat: () => undefined });
  const path = join(root, 'a.dump');
  for (let round = 0; round < 3; round++) t.same(factsOf(lstat(path)), factsOf(fs.lstatSync(path)));
  t.equal(lstat.via, 'node');
});

t.test(
  'an error of the path itself before any real answer leaves the binding unchecked, not dropped',
  withBinding,
  async (t) => {
    const root = tree(t);
    const lstat = createLstat(fs, statBinding(process));
    t.throws(() => lstat(join(root, 'a.dump', 'x')), { code: 'ENOTDIR' });
    t.equal(lstat.via, 'unchecked');
    lstat(join(root, 'a.dump'));
    t.equal(lstat.via, 'binding');
  },
);

t.test(
  'no binding under the permission model, with --pending-deprecation, or where process.binding is gone',
  withBinding,
  async (t) => {
    const base = {
      env: {},
      execArgv: [],
      binding: (process as unknown as { binding: unknown }).binding,
    } as unknown as NodeJS.Process;
    t.ok(statBinding(base), 'found when nothing stands against it');
    t.equal(statBinding({ ...base, permission: { has: () => true } } as unknown as NodeJS.Process), undefined);
    t.equal(statBinding({ ...base, execArgv: ['--pending-deprecation'] } as unknown as NodeJS.Process), undefined);
    t.equal(
      statBinding({
        ...base,
        env: { NODE_OPTIONS: '--max-old-space-size=512 --pending-deprecation' },
      } as NodeJS.Process),
      undefined,
    );
    t.equal(statBinding({ ...base, env: { NODE_PENDING_DEPRECATION: '1' } } as NodeJS.Process), undefined);
    t.equal(statBinding({ ...base, binding: undefined } as unknown as NodeJS.Process), undefined);
    t.equal(
      statBinding({
        ...base,
        binding: () => {
          throw new Error('No such module: fs');
        },
      } as unknown as NodeJS.Process),
      undefined,
    );
    const lstat = createLstat(fs, undefined);
    t.equal(lstat.via, 'node', 'without one, lstatSync answers');
    const path = join(tree(t), 'a.dump');
    t.same(factsOf(lstat(path)), factsOf(fs.lstatSync(path)));
  },
);

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
  await walkPattern(walkContext(root, { walkers }), compilePattern('erp/*.dump'), (match) => found.push(match));
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

/** fd of `path` for the test's length. */
function openFor(t: Test, path: string): number {
  const fd = fs.openSync(path, 'r');
  t.teardown(() => fs.closeSync(fd));
  return fd;
}

t.test(
  "the hash's fstat: the binding's answers for a descriptor equal fstatSync's once the first has proved it",
  withBinding,
  async (t) => {
    const root = tree(t);
    const fstat = createFstat(fs, statBinding(process));
    t.equal(fstat.via, 'unchecked');
    for (const name of ['a.dump', 'dir', 'dir/b.dump']) {
      const fd = openFor(t, join(root, name));
      t.same(factsOf(fstat(fd)), factsOf(fs.fstatSync(fd)), `${name}: dev, inode, size, mtime, ctime and mode`);
      t.equal(fstat.via, 'binding');
    }
    const closed = fs.openSync(join(root, 'a.dump'), 'r');
    fs.closeSync(closed);
    t.throws(() => fstat(closed), { code: 'EBADF' }, 'a bad descriptor throws as fstatSync does');
  },
);

t.test(
  'an fstat binding that answers otherwise is dropped after three answers, one that throws at once',
  withBinding,
  async (t) => {
    const fd = openFor(t, join(tree(t), 'a.dump'));
    const real = statBinding(process) as StatBinding;
    const skewed = createFstat(fs, {
      fstat: (...args: Parameters<BindingFstat>) => {
        const values = (real.fstat as BindingFstat)(...args);
        if (values) values[8] = (values[8] as number) + 1;
        return values;
      },
    });
    for (const round of [1, 2, 3]) {
      t.same(factsOf(skewed(fd)), factsOf(fs.fstatSync(fd)), `answer ${round} is fstatSync's`);
      t.equal(skewed.via, round < 3 ? 'unchecked' : 'node');
    }
    const throwing = createFstat(fs, {
      fstat: () => {
        throw new TypeError('fd must be an int32');
      },
    });
    t.same(factsOf(throwing(fd)), factsOf(fs.fstatSync(fd)));
    t.equal(throwing.via, 'node');
    const lstatOnly = createFstat(fs, { lstat: real.lstat as BindingLstat });
    t.equal(lstatOnly.via, 'node', 'a binding without fstat: fstatSync');
    t.same(factsOf(lstatOnly(fd)), factsOf(fs.fstatSync(fd)));
  },
);

/** Starts the worker `name` beside the pool module `pool` as that pool does, posts `message`, and resolves with its reply. */
async function reply(t: Test, name: string, pool: URL, workerData: unknown, message: unknown) {
  return new Promise<unknown>((resolve, reject) => {
    const thread = startThread(name, pool.href, workerData, resolve);
    t.teardown(() => endThread(thread));
    thread.worker.once('error', reject);
    thread.worker.postMessage(message);
  });
}

interface ThreadStats {
  lstat: string;
  fstat: string;
  opens: boolean;
  sha256: string;
}

/** Which call a thread's lstat and fstat ended with, made as the hash and walk threads make them, after opening `path`. */
async function viaOnAThread(t: Test, path: string): Promise<ThreadStats> {
  const worker = new Worker(new URL('./fixtures/stat-thread.ts', import.meta.url));
  t.teardown(() => worker.terminate());
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.postMessage(path);
  });
}

t.test(
  'the hash threads, as the checksum service starts them, state through the fstat binding once proved',
  withBinding,
  async (t) => {
    const path = join(tree(t), 'a.dump');
    const data: HashThreadData = { bufferSize: 1024, control: new SharedArrayBuffer(4) };
    const pool = new URL('../../src/integrity/worker-pool.ts', import.meta.url);
    const results = await reply(t, 'hash-worker', pool, data, [{ id: 1, path, expect: null }]);
    t.match(results, [{ id: 1, ok: true, sha256: createHash('sha256').update('aaaa').digest('hex'), bytesRead: 4 }]);
    const { fstat } = await viaOnAThread(t, path);
    t.same({ fstat }, { fstat: 'binding' });
  },
);

t.test(
  "a --deep run's reading threads, as the walk starts them, open, state and hash through the proved binding",
  withBinding,
  async (t) => {
    const root = tree(t);
    const job: DirectoryJob = {
      path: root,
      relative: '',
      deeper: false,
      followSymlinks: false,
      pattern: compilePattern('*.dump').rule,
      share: 1024,
      hash: { below: 1 << 20, budget: 1 << 26 },
    };
    const data: WalkThreadData = { bufferSize: 1024, control: new SharedArrayBuffer(4) };
    const pool = new URL('../../src/sources/disk/walk-pool.ts', import.meta.url);
    const listing = (await reply(t, 'walk-worker', pool, data, job)) as DirectoryListing;
    t.same(listing.names, ['a.dump'], 'the plain file; the link is not followed');
    t.same(listing.digests, [createHash('sha256').update('aaaa').digest('hex')]);
    const s = fs.lstatSync(join(root, 'a.dump'));
    t.same([...listing.facts], [s.dev, s.ino, s.size, s.mtimeMs, s.ctimeMs]);
    const { lstat, fstat, opens, sha256 } = await viaOnAThread(t, join(root, 'a.dump'));
    t.equal(sha256, listing.digests[0], 'the thread below hashed what the reading thread did');
    t.same(
      { lstat, fstat, opens },
      { lstat: 'binding', fstat: 'binding', opens: true },
      'the first file checked by path, and trusted',
    );
  },
);
