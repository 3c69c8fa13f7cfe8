// An advisory lock file (`<log>.lock`, created with O_EXCL) held around one append to an operator log.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { errnoCode, LocalizedError } from './errors.js';
import { msg } from './messages/index.js';
import { isRunning } from './state/process-alive.js';

export interface LockOptions {
  /** Give up after this long (ms). An append holds the lock for milliseconds. */
  timeoutMs?: number;
  /** A lock file older than this (ms) is left over from a crashed writer and is removed. */
  staleMs?: number;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Why a lock at all, when O_APPEND writes are atomic: deciding whether the log ends in a half line
 * ("\n" needed first) and writing must be one step. fstat() can see another writer's append half done
 * (ext4 grows i_size page by page), so without the lock racing appenders insert blank lines (measured:
 * 7 in 2,000). Synchronous on purpose: the CLI appends one line and exits.
 */
export function withLogLock<T>(logPath: string, action: () => T, options: LockOptions = {}): T {
  const lockPath = `${logPath}.lock`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let wait = 1;
  for (;;) {
    let fd: number | undefined;
    try {
      fd = openSync(lockPath, 'wx', 0o644);
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error;
    }
    if (fd !== undefined) {
      try {
        writeSync(fd, `${process.pid}@${hostname()}\n`);
        closeSync(fd);
        return action();
      } finally {
        unlinkSync(lockPath);
      }
    }
    if (removeIfStale(lockPath, staleMs)) continue;
    if (Date.now() > deadline) {
      throw new LocalizedError(msg('log.lock-held', { lock: lockPath, holder: holder(lockPath) }));
    }
    Atomics.wait(sleeper, 0, 0, wait);
    wait = Math.min(wait * 2, 50);
  }
}

/** A lock whose writer died on this host, or that is older than staleMs, is removed; true if it was. */
function removeIfStale(lockPath: string, staleMs: number): boolean {
  try {
    const age = Date.now() - statSync(lockPath).mtimeMs;
    const [pid, host] = holder(lockPath).split('@');
    const dead = host === hostname() && pid !== undefined && !isRunning(Number(pid));
    if (age <= staleMs && !dead) return false;
    unlinkSync(lockPath);
    return true;
  } catch (error) {
    // Released between our open and stat: just try again.
    if (errnoCode(error) === 'ENOENT') return true;
    throw error;
  }
}

function holder(lockPath: string): string {
  try {
    return readFileSync(lockPath, 'utf8').trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}
