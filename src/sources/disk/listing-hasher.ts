// How a reading thread hashes the small files it lists (verify --deep), with the very code of the hash
// threads. A failure of any kind (changed, vanished, unreadable) leaves the digest empty: the checksum
// service then tries the file and reports what it finds.
import { type HashCrypto, type HashFs, hashJob, hashOpenFile } from '../../integrity/hash-job.js';
import { type StatFields, sameStat } from '../../integrity/stat-fields.js';

/** Disagreements between a descriptor's fstat and its path's lstat before a thread states by path for good. */
const OPEN_CHECKS = 3;

/** What the listing hasher uses of node:fs besides hashJob's: opening without following a link. */
export interface ListingHasherFs extends HashFs {
  constants: HashFs['constants'] & { O_NOFOLLOW: number };
}

export interface ListingHasher {
  /** False once three opened files disagreed with their lstat: the thread then states by path, as before. */
  readonly opens: boolean;
  /** Hashes a file just stated, checking it is still the one the stat saw; '' when it did not hash it. */
  stated(path: string, stats: { ino: number; size: number; mtimeMs: number }): string;
  /**
   * Opens a plain file without following a link, states it through the descriptor and, when it is a
   * regular file of at most `below` and `room` bytes, hashes it while it is open. Its stat with
   * `sha256` ('' when not hashed); undefined when it cannot be opened, or `check` (an lstat) is given
   * and disagrees with the fstat: a path stated twice by the same kernel agrees, so a disagreement is
   * a file changing, or a filesystem whose descriptors answer for another layer (overlayfs before
   * Linux 4.19).
   */
  open(
    path: string,
    below: number,
    room: number,
    check: ((path: string) => StatFields | undefined) | undefined,
  ): (StatFields & { sha256: string }) | undefined;
}

/** `stopped` says the run was aborted: no more hashing, also between the reads of a file. */
export function createListingHasher(
  fs: ListingHasherFs,
  crypto: HashCrypto,
  bufferSize: number,
  stopped: () => boolean,
): ListingHasher {
  let buffer: Buffer | undefined;
  let disagreements = 0;
  const hasher = {
    opens: true,
    stated(path: string, stats: { ino: number; size: number; mtimeMs: number }): string {
      // An aborted run stops hashing at once, also between the reads of a file: queued jobs are then only listed.
      if (stopped()) return '';
      buffer ??= Buffer.allocUnsafeSlow(bufferSize);
      const job = { id: 0, path, expect: { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs } };
      const result = hashJob(fs, crypto, job, buffer, stopped);
      return result.ok ? result.sha256 : '';
    },
    open(
      path: string,
      below: number,
      room: number,
      check: ((path: string) => StatFields | undefined) | undefined,
    ): (StatFields & { sha256: string }) | undefined {
      let fd = -1;
      try {
        const { O_RDONLY, O_NONBLOCK, O_NOCTTY, O_NOFOLLOW } = fs.constants;
        fd = fs.openSync(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW);
        const s = fs.fstatSync(fd);
        const stat = {
          dev: s.dev,
          ino: s.ino,
          size: s.size,
          mtimeMs: s.mtimeMs,
          ctimeMs: s.ctimeMs,
          mode: s.mode,
          sha256: '',
        };
        if (check !== undefined) {
          const listed = check(path);
          if (listed === undefined || !sameStat(listed, stat)) {
            if (++disagreements >= OPEN_CHECKS) hasher.opens = false;
            return undefined;
          }
        }
        if (
          (stat.mode & fs.constants.S_IFMT) === fs.constants.S_IFREG &&
          stat.size <= below &&
          stat.size <= room &&
          !stopped()
        ) {
          buffer ??= Buffer.allocUnsafeSlow(bufferSize);
          const result = hashOpenFile(fs, crypto, 0, fd, stat, buffer, stopped);
          if (result.ok) stat.sha256 = result.sha256;
        }
        return stat;
      } catch {
        return undefined;
      } finally {
        if (fd !== -1) {
          try {
            fs.closeSync(fd);
          } catch {}
        }
      }
    },
  };
  return hasher;
}
