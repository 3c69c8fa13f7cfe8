// The code that runs inside a hash worker thread, kept as plain-JS source text (see why below).

import { type Fstat, STAT_SOURCE } from './stat-source.js';

/*
 * Why source text and not a worker file: tests run the TypeScript sources through tap's ts-node
 * loader, and a Worker started on a .ts file does not get that loader; a plain .js file beside the
 * sources would not be copied to dist/ by tsc. `new Worker(HASH_WORKER_SOURCE, { eval: true })`
 * works the same from src/ (tests) and dist/ (product), needs no loader and no file lookup
 * relative to import.meta.url. The price is that this text is not type-checked, so it is kept
 * short, and test/integrity/hash-job.test.ts runs the very same `hashJob` text on the main thread
 * with a fake `fs` to reach the branches a real file cannot (e.g. a file growing between two fstats).
 */

/** What a worker is asked to hash. `expect` is the identity the caller listed; null skips that check. */
export interface HashJob {
  id: number;
  path: string;
  expect: { ino: number; size: number; mtimeMs: number } | null;
}

export type HashJobResult =
  | { id: number; ok: true; sha256: string; bytesRead: number }
  | {
      id: number;
      ok: false;
      reason: 'changed-while-hashing' | 'unreadable' | 'vanished' | 'aborted';
      message: string;
      bytesRead: number;
      /** The system error's code when a read failed (EACCES, EIO …): the source names the issue by it. */
      errno?: string;
    };

/**
 * Hashes one file with synchronous reads into a reused buffer (no streams, no per-chunk
 * allocation, no data crossing threads). fstat before and after on the same fd (size, mtime, ctime):
 * a backup still being written, or replaced by a rename since it was listed, is reported, never
 * given a digest.
 * `dev` is not compared: on some overlay filesystems stat() and fstat() disagree on it.
 * The file is opened O_NONBLOCK so a FIFO matched by a glob cannot hang the worker, and O_NOCTTY so a
 * terminal put in its place cannot become the process's controlling terminal.
 * `crypto` is node:crypto (createHash, and the one-shot `hash` where Node has it); `fstat` is the
 * thread's checked fstat (stat-source.ts), fs.fstatSync when none is given.
 */
export const HASH_JOB_SOURCE = `
function hashJob(fs, crypto, job, buffer, isCancelled, fstat) {
  const stat = fstat ?? ((fd) => fs.fstatSync(fd));
  let fd = -1;
  try {
    fd = fs.openSync(job.path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
    const before = stat(fd);
    const expect = job.expect;
    if (expect !== null && (before.size !== expect.size || before.ino !== expect.ino ||
        Math.trunc(before.mtimeMs) !== Math.trunc(expect.mtimeMs))) {
      return hashFailure(job.id, 'changed-while-hashing',
        'the file changed since it was listed (' + describeStat(expect) + ' then, ' + describeStat(before) + ' now)', 0);
    }
    return hashOpenFile(fs, crypto, job.id, fd, before, buffer, isCancelled, stat);
  } catch (error) {
    return hashError(job.id, error, 0);
  } finally {
    if (fd !== -1) {
      try { fs.closeSync(fd); } catch {}
    }
  }
}
// Reads and hashes the open file \`fd\`, whose fstat was \`before\`; the caller closes it.
function hashOpenFile(fs, crypto, id, fd, before, buffer, isCancelled, stat) {
  let bytesRead = 0;
  try {
    // By the mode bits: a Stats object and the plain facts of the checked fstat both have them.
    if ((before.mode & fs.constants.S_IFMT) !== fs.constants.S_IFREG) {
      return hashFailure(id, 'unreadable', 'not a regular file', 0);
    }
    let hash;
    let digest;
    for (;;) {
      if (isCancelled(id)) return hashFailure(id, 'aborted', 'hashing was aborted', bytesRead);
      // One byte more than the size says is left: a read that falls short of it, once the size is
      // reached, was the end of the file, and the usual small file needs no second read to find out.
      const want = Math.min(buffer.length, before.size - bytesRead + 1);
      const n = fs.readSync(fd, buffer, 0, want, null);
      const end = n === 0 || (n < want && bytesRead + n >= before.size);
      // The whole file in one read: the one-shot digest (Node 20.12+) makes no Hash object to collect.
      if (bytesRead === 0 && end && typeof crypto.hash === 'function') {
        bytesRead = n;
        digest = crypto.hash('sha256', buffer.subarray(0, n), 'hex');
        break;
      }
      hash ??= crypto.createHash('sha256');
      if (n === 0) break;
      bytesRead += n;
      hash.update(n === buffer.length ? buffer : buffer.subarray(0, n));
      if (end) break;
    }
    const after = stat(fd);
    // The ctime too: a write during the read that set the mtime back still moved it.
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || after.ctimeMs !== before.ctimeMs ||
        bytesRead !== before.size) {
      return hashFailure(id, 'changed-while-hashing',
        'the file changed while it was read (' + describeStat(before) + ' before, ' + describeStat(after) +
        ' after, ' + bytesRead + ' bytes read)', bytesRead);
    }
    return { id, ok: true, sha256: digest ?? hash.digest('hex'), bytesRead };
  } catch (error) {
    return hashError(id, error, bytesRead);
  }
}
function hashFailure(id, reason, message, bytesRead) {
  return { id, ok: false, reason, message, bytesRead };
}
function hashError(id, error, bytesRead) {
  const code = error && typeof error.code === 'string' ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const failure = hashFailure(id, code === 'ENOENT' || code === 'ENOTDIR' ? 'vanished' : 'unreadable', message, bytesRead);
  if (code !== undefined) failure.errno = code;
  return failure;
}
function describeStat(s) {
  return 'size ' + s.size + ', mtime ' + new Date(s.mtimeMs).toISOString() + ', inode ' + s.ino;
}
`;

/**
 * The worker's body: one reusable read buffer per thread; a batch of jobs in, one message of
 * results out (per-message cost matters with thousands of small files). control[0] holds the id
 * of a job the main thread wants cancelled; checked between reads, so a 2 GiB hash stops quickly.
 */
export const HASH_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');
${HASH_JOB_SOURCE}
${STAT_SOURCE}
const fstat = createFstat(fs, statBinding(process));
const buffer = Buffer.allocUnsafeSlow(workerData.bufferSize);
const control = new Int32Array(workerData.control);
const isCancelled = (id) => Atomics.load(control, 0) === id;
parentPort.on('message', (batch) => {
  const results = new Array(batch.length);
  for (let i = 0; i < batch.length; i++) results[i] = hashJob(fs, crypto, batch[i], buffer, isCancelled, fstat);
  parentPort.postMessage(results);
});
`;

/** What hashJob uses of node:crypto: `hash` (one-shot) may be missing, as on Node before 20.12. */
export interface HashCrypto {
  createHash: typeof import('node:crypto').createHash;
  hash?: (algorithm: 'sha256', data: Buffer, outputEncoding: 'hex') => string;
}

export type HashJobFunction = (
  fs: unknown,
  crypto: HashCrypto,
  job: HashJob,
  buffer: Buffer,
  isCancelled: (id: number) => boolean,
  fstat?: Fstat,
) => HashJobResult;

/** The same `hashJob` text, compiled on the calling thread: for tests that inject a fake fs. */
export function compileHashJob(): HashJobFunction {
  return new Function(`${HASH_JOB_SOURCE}\nreturn hashJob;`)() as HashJobFunction;
}
