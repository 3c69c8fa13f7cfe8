// Hashes one file for a hash thread (and for a walk's reading thread under --deep), with synchronous
// reads into the thread's reused buffer: no streams, no allocation per chunk, no data crossing threads.
import { errnoOf, messageOf } from '../errno.js';
import type { StatFields } from './stat-fields.js';

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

type HashFailure = Extract<HashJobResult, { ok: false }>;

/** What the pool hands each hash thread. */
export interface HashThreadData {
  /** Read buffer per thread, in bytes. */
  bufferSize: number;
  /**
   * control[CANCEL]: the id of a job to cancel, or CANCEL_ALL; read between reads, so a 2 GiB hash
   * stops quickly. control[RUNNING] and control[BEAT]: the job the thread is on and when it last began a
   * read (BEAT_CLOCK), so the pool can tell a read that never returns (a hung mount) from a long hash.
   */
  control: SharedArrayBuffer;
  /** The pool's epoch (Date.now()) that beats count from. */
  epochMs: number;
}

/** Slots of HashThreadData.control. */
export const CANCEL = 0;
export const RUNNING = 1;
export const BEAT = 2;
export const CONTROL_SLOTS = 3;

/** A beat: milliseconds since the pool's epoch, wrapping at 2^31 (an agent runs for months); compare with beatAge. */
export function beatClock(epochMs: number, nowMs: number): number {
  return (nowMs - epochMs) % 0x80000000;
}

/** How long ago a beat was, across the clock's wrap. */
export function beatAge(beat: number, now: number): number {
  return (now - beat + 0x80000000) % 0x80000000;
}

/** In control[0]: every job is cancelled (the pool is closing). Job ids are positive. */
export const CANCEL_ALL = -1;

/** What hashJob uses of node:crypto: `hash` (one-shot) may be missing, as on Node before 20.12. */
export interface HashCrypto {
  createHash: typeof import('node:crypto').createHash;
  hash?: (algorithm: 'sha256', data: Buffer, outputEncoding: 'hex') => string;
}

/** What hashJob uses of node:fs: tests hand in an fs whose calls misbehave where a real file cannot. */
export interface HashFs {
  constants: { O_RDONLY: number; O_NONBLOCK: number; O_NOCTTY: number; S_IFMT: number; S_IFREG: number };
  openSync(path: string, flags: number): number;
  fstatSync(fd: number): StatFields;
  readSync(fd: number, buffer: Buffer, offset: number, length: number, position: null): number;
  closeSync(fd: number): void;
}

/**
 * Hashes one file. fstat before and after on the same fd (size, mtime, ctime): a backup still being
 * written, or replaced by a rename since it was listed, is reported, never given a digest.
 * `dev` is not compared: on some overlay filesystems stat() and fstat() disagree on it.
 * The file is opened O_NONBLOCK so a FIFO matched by a glob cannot hang the worker, and O_NOCTTY so a
 * terminal put in its place cannot become the process's controlling terminal.
 */
export function hashJob(
  fs: HashFs,
  crypto: HashCrypto,
  job: HashJob,
  buffer: Buffer,
  isCancelled: (id: number) => boolean,
): HashJobResult {
  let fd = -1;
  try {
    fd = fs.openSync(job.path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
    const before = fs.fstatSync(fd);
    const expect = job.expect;
    if (
      expect !== null &&
      (before.size !== expect.size ||
        before.ino !== expect.ino ||
        Math.trunc(before.mtimeMs) !== Math.trunc(expect.mtimeMs))
    ) {
      const message = `the file changed since it was listed (${describeStat(expect)} then, ${describeStat(before)} now)`;
      return hashFailure(job.id, 'changed-while-hashing', message, 0);
    }
    return hashOpenFile(fs, crypto, job.id, fd, before, buffer, isCancelled);
  } catch (error) {
    return hashError(job.id, error, 0);
  } finally {
    if (fd !== -1) {
      try {
        fs.closeSync(fd);
      } catch {}
    }
  }
}

/** Reads and hashes the open file `fd`, whose fstat was `before`; the caller closes it. */
export function hashOpenFile(
  fs: HashFs,
  crypto: HashCrypto,
  id: number,
  fd: number,
  before: StatFields,
  buffer: Buffer,
  isCancelled: (id: number) => boolean,
): HashJobResult {
  let bytesRead = 0;
  try {
    // By the mode bits: a Stats object and the stat a listing thread kept of one both have them.
    if ((before.mode & fs.constants.S_IFMT) !== fs.constants.S_IFREG) {
      return hashFailure(id, 'unreadable', 'not a regular file', 0);
    }
    let hash: ReturnType<HashCrypto['createHash']> | undefined;
    let digest: string | undefined;
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
    const after = fs.fstatSync(fd);
    // The ctime too: a write during the read that set the mtime back still moved it.
    if (
      after.size !== before.size ||
      after.mtimeMs !== before.mtimeMs ||
      after.ctimeMs !== before.ctimeMs ||
      bytesRead !== before.size
    ) {
      const message = `the file changed while it was read (${describeStat(before)} before, ${describeStat(after)} after, ${bytesRead} bytes read)`;
      return hashFailure(id, 'changed-while-hashing', message, bytesRead);
    }
    return { id, ok: true, sha256: digest ?? (hash as NonNullable<typeof hash>).digest('hex'), bytesRead };
  } catch (error) {
    return hashError(id, error, bytesRead);
  }
}

function hashFailure(id: number, reason: HashFailure['reason'], message: string, bytesRead: number): HashFailure {
  return { id, ok: false, reason, message, bytesRead };
}

function hashError(id: number, error: unknown, bytesRead: number): HashFailure {
  const code = errnoOf(error);
  const message = messageOf(error);
  const reason = code === 'ENOENT' || code === 'ENOTDIR' ? 'vanished' : 'unreadable';
  const failure = hashFailure(id, reason, message, bytesRead);
  if (code !== undefined) failure.errno = code;
  return failure;
}

function describeStat(s: { size: number; mtimeMs: number; ino: number }): string {
  return `size ${s.size}, mtime ${new Date(s.mtimeMs).toISOString()}, inode ${s.ino}`;
}
