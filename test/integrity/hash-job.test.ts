// Tests the hash threads' hashJob on the main thread, with a fake fs where a real file cannot be arranged.

import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { type HashFs, type HashJob, hashJob } from '../../src/integrity/hash-job.js';

const never = (): boolean => false;

function jobFor(path: string, expect: HashJob['expect'] = null): HashJob {
  return { id: 7, path, expect };
}

/** The real fs, except that fstatSync answers from `stats` in turn. */
function fsWithFstats(stats: Array<Partial<fs.Stats>>): HashFs {
  let call = 0;
  return {
    ...fs,
    fstatSync(fd: number) {
      const real = fs.fstatSync(fd);
      const override = stats[Math.min(call++, stats.length - 1)];
      return Object.assign(Object.create(Object.getPrototypeOf(real)), real, override);
    },
  };
}

t.test('a file is hashed in buffer-sized reads to the same digest as in one piece', async (t) => {
  const dir = t.testdir({ 'db.dump': 'x'.repeat(10_000) });
  const result = hashJob(fs, crypto, jobFor(join(dir, 'db.dump')), Buffer.alloc(4096), never);
  t.same(result, {
    id: 7,
    ok: true,
    sha256: createHash('sha256').update('x'.repeat(10_000)).digest('hex'),
    bytesRead: 10_000,
  });
});

t.test('a file smaller than the buffer takes one read: its end is seen in the same call', async (t) => {
  const dir = t.testdir({ 'small.dump': 'x'.repeat(1000), 'exact.dump': 'y'.repeat(16) });
  let reads = 0;
  const counting = {
    ...fs,
    readSync(fd: number, buffer: Buffer, offset: number, length: number, position: null) {
      reads++;
      return fs.readSync(fd, buffer, offset, length, position);
    },
  };
  t.match(hashJob(counting, crypto, jobFor(join(dir, 'small.dump')), Buffer.alloc(4096), never), {
    ok: true,
    bytesRead: 1000,
  });
  t.equal(reads, 1, '1,000 bytes with a 4 KiB buffer: one read');
  reads = 0;
  t.match(hashJob(counting, crypto, jobFor(join(dir, 'exact.dump')), Buffer.alloc(16), never), {
    ok: true,
    sha256: createHash('sha256').update('y'.repeat(16)).digest('hex'),
  });
  t.equal(reads, 2, 'a file exactly one buffer long needs a second read to see its end');
});

t.test('a file that grows between the first and the second fstat is changed-while-hashing', async (t) => {
  const dir = t.testdir({ 'db.dump': 'abc' });
  const growing = fsWithFstats([{}, { size: 4096 }]);
  const result = hashJob(growing, crypto, jobFor(join(dir, 'db.dump')), Buffer.alloc(16), never);
  t.match(result, { ok: false, reason: 'changed-while-hashing', message: /while it was read/, bytesRead: 3 });
});

t.test('a file whose mtime moves while it is read is changed-while-hashing', async (t) => {
  const dir = t.testdir({ 'db.dump': 'abc' });
  const touched = fsWithFstats([{}, { mtimeMs: 1 }]);
  t.match(hashJob(touched, crypto, jobFor(join(dir, 'db.dump')), Buffer.alloc(16), never), {
    reason: 'changed-while-hashing',
  });
});

t.test('a file that yields more bytes than its size said is changed-while-hashing', async (t) => {
  const dir = t.testdir({ 'db.dump': 'abcdef' });
  const shortSize = fsWithFstats([{ size: 2 }]);
  t.match(hashJob(shortSize, crypto, jobFor(join(dir, 'db.dump')), Buffer.alloc(16), never), {
    reason: 'changed-while-hashing',
    // One byte past the stated size is enough to know: the rest is not read.
    bytesRead: 3,
  });
});

t.test('a file replaced since it was listed (other inode) is changed-while-hashing before any read', async (t) => {
  const dir = t.testdir({ 'db.dump': 'abc' });
  const path = join(dir, 'db.dump');
  const st = fs.statSync(path);
  const result = hashJob(
    fs,
    crypto,
    jobFor(path, { ino: st.ino + 1, size: st.size, mtimeMs: st.mtimeMs }),
    Buffer.alloc(16),
    never,
  );
  t.match(result, { reason: 'changed-while-hashing', message: /since it was listed/, bytesRead: 0 });
});

t.test('a sub-millisecond difference in the listed mtime is not a change', async (t) => {
  const dir = t.testdir({ 'db.dump': 'abc' });
  const path = join(dir, 'db.dump');
  const st = fs.statSync(path);
  const listed = { ino: st.ino, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) };
  t.match(hashJob(fs, crypto, jobFor(path, listed), Buffer.alloc(16), never), { ok: true });
});

t.test('a cancelled job stops between reads and says aborted', async (t) => {
  const dir = t.testdir({ 'db.dump': 'x'.repeat(100) });
  let reads = 0;
  const cancelAfterTwoReads = (id: number): boolean => id === 7 && reads++ >= 2;
  t.match(hashJob(fs, crypto, jobFor(join(dir, 'db.dump')), Buffer.alloc(10), cancelAfterTwoReads), {
    ok: false,
    reason: 'aborted',
    bytesRead: 20,
  });
});

t.test('read errors map to reasons: ENOENT and ENOTDIR vanished, EACCES and EIO unreadable', async (t) => {
  const dir = t.testdir({ 'db.dump': 'abc' });
  const path = join(dir, 'db.dump');
  const failing = (code: string): HashFs => ({
    ...fs,
    readSync() {
      throw Object.assign(new Error(`${code}: simulated`), { code });
    },
  });
  const cases: Array<[string, string]> = [
    ['ENOENT', 'vanished'],
    ['ENOTDIR', 'vanished'],
    ['EACCES', 'unreadable'],
    ['EPERM', 'unreadable'],
    ['EIO', 'unreadable'],
  ];
  for (const [code, reason] of cases) {
    t.match(hashJob(failing(code), crypto, jobFor(path), Buffer.alloc(16), never), { ok: false, reason }, code);
  }
  const throwsNonError = {
    ...fs,
    openSync() {
      throw 'odd';
    },
  };
  t.match(hashJob(throwsNonError, crypto, jobFor(path), Buffer.alloc(16), never), {
    reason: 'unreadable',
    message: 'odd',
  });
});

t.test('a directory is unreadable, not hashed', async (t) => {
  const dir = t.testdir({ sub: {} });
  t.match(hashJob(fs, crypto, jobFor(join(dir, 'sub')), Buffer.alloc(16), never), {
    reason: 'unreadable',
    message: 'not a regular file',
  });
});

t.test(
  'a file read whole in one call gets the one-shot digest; without it (Node before 20.12) a Hash object gives the same',
  async (t) => {
    const dir = t.testdir({ 'small.dump': 's'.repeat(1000), 'empty.dump': '', 'big.dump': 'b'.repeat(5000) });
    const calls = { hash: 0, createHash: 0 };
    const counting = {
      hash: (algorithm: string, data: Buffer, encoding: 'hex') => {
        calls.hash++;
        return crypto.hash(algorithm, data, encoding);
      },
      createHash: (...args: Parameters<typeof crypto.createHash>) => {
        calls.createHash++;
        return crypto.createHash(...args);
      },
    };
    const olderNode = { createHash: crypto.createHash };
    for (const [name, content] of [
      ['small.dump', 's'.repeat(1000)],
      ['empty.dump', ''],
      ['big.dump', 'b'.repeat(5000)],
    ] as const) {
      const expected = createHash('sha256').update(content).digest('hex');
      const job = jobFor(join(dir, name));
      t.match(hashJob(fs, counting, job, Buffer.alloc(4096), never), { ok: true, sha256: expected }, name);
      t.match(
        hashJob(fs, olderNode, job, Buffer.alloc(4096), never),
        { ok: true, sha256: expected },
        `${name}, older Node`,
      );
    }
    t.same(
      calls,
      { hash: 2, createHash: 1 },
      'one-shot for the two files one read held, a Hash object for the 5,000 bytes',
    );
  },
);

t.test("the thread's fstat states the file before and after the read", async (t) => {
  const dir = t.testdir({ 'db.dump': 'abc' });
  const path = join(dir, 'db.dump');
  let calls = 0;
  const counted = {
    ...fs,
    fstatSync: (fd: number) => {
      calls++;
      return fs.fstatSync(fd);
    },
  };
  t.match(hashJob(counted, crypto, jobFor(path), Buffer.alloc(16), never), { ok: true, bytesRead: 3 });
  t.equal(calls, 2);
  // Plain facts, not a Stats: the mode bits tell the regular file.
  const growing = {
    ...fs,
    fstatSync: (fd: number) => {
      const s = fs.fstatSync(fd);
      return {
        dev: s.dev,
        ino: s.ino,
        mode: s.mode,
        mtimeMs: s.mtimeMs,
        ctimeMs: s.ctimeMs,
        size: s.size + (calls++ % 2),
      };
    },
  };
  calls = 0;
  t.match(hashJob(growing, crypto, jobFor(path), Buffer.alloc(16), never), {
    ok: false,
    reason: 'changed-while-hashing',
    message: /while it was read/,
  });
});
