// The walk's lstat: the same answers as fs.lstatSync, from Node's fs binding only once a first real
// answer has proved it, and lstatSync for good when the binding answers otherwise or does not fit.
import * as fs from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import t, { type Test } from 'tap';
import { compileStat, STAT_SOURCE, type StatBinding, type StatFacts } from '../../src/integrity/stat-source.js';
import { compilePattern } from '../../src/sources/disk-patterns.js';
import { type WalkMatch, walkPattern } from '../../src/sources/disk-walk.js';
import { createWalkPool } from '../../src/sources/walk-pool.js';
import { walkContext } from '../sources/walk-context.js';

const { createLstat, createFstat, statBinding } = compileStat();

type BindingLstat = NonNullable<StatBinding['lstat']>;
type BindingFstat = NonNullable<StatBinding['fstat']>;

// The tests of the real binding need it: asking for pending deprecation turns it off (on purpose).
const pendingAsked =
  /--pending[-_]deprecation/.test([...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ')) ||
  process.env.NODE_PENDING_DEPRECATION === '1';
const withBinding = pendingAsked ? { skip: 'this run asked for pending deprecation: process.binding is not used' } : {};

const factsOf = (s: StatFacts | undefined) =>
  s && { dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs, mode: s.mode };

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
      t.same(factsOf(lstat(path)), factsOf(fs.lstatSync(path)), `${name}: dev, inode, size, mtime and mode`);
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
      match.mtimeMs !== s.mtimeMs
    );
  });
  t.same(differing, [], 'no file differs');
});

t.test(
  'a worker thread started as the walk starts its threads finds the binding and trusts it',
  withBinding,
  async (t) => {
    const path = join(tree(t), 'a.dump');
    // The same options as walk-pool.ts: source text, no flags of the parent's.
    const worker = new Worker(
      `${STAT_SOURCE}
     const { parentPort, workerData } = require('node:worker_threads');
     const lstat = createLstat(require('node:fs'), statBinding(process));
     const facts = lstat(workerData.path);
     parentPort.postMessage({ via: lstat.via, size: facts.size, mtimeMs: facts.mtimeMs });`,
      { eval: true, execArgv: [], workerData: { path } },
    );
    const answer = await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
    const s = fs.lstatSync(path);
    t.same(answer, { via: 'binding', size: s.size, mtimeMs: s.mtimeMs });
  },
);

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
      t.same(factsOf(fstat(fd)), factsOf(fs.fstatSync(fd)), `${name}: dev, inode, size, mtime and mode`);
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

t.test(
  'a hash thread started as the checksum service starts them finds the fstat binding and trusts it',
  withBinding,
  async (t) => {
    const path = join(tree(t), 'a.dump');
    const worker = new Worker(
      `${STAT_SOURCE}
     const { parentPort, workerData } = require('node:worker_threads');
     const fs = require('node:fs');
     const fstat = createFstat(fs, statBinding(process));
     const fd = fs.openSync(workerData.path, 'r');
     const facts = fstat(fd);
     fs.closeSync(fd);
     parentPort.postMessage({ via: fstat.via, size: facts.size, mtimeMs: facts.mtimeMs });`,
      { eval: true, execArgv: [], workerData: { path } },
    );
    const answer = await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
    const s = fs.statSync(path);
    t.same(answer, { via: 'binding', size: s.size, mtimeMs: s.mtimeMs });
  },
);
