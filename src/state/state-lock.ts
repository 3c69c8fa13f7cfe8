// One writer per state dir: a lock file (`<stateDir>/lock`, created with O_EXCL) held from the
// cache's load to its last save, kept fresh while held, taken over when its holder is gone.
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { errnoCode } from '../errors.js';
import { isRunning } from './process-alive.js';

export const STATE_LOCK_NAME = 'lock';

/** Who holds a state dir, as its lock file says. */
export interface LockHolder {
  pid: number;
  host: string;
  /** What it is doing: "agent", "verify", … */
  purpose: string;
  /** When it took the lock (ISO 8601). */
  since: string;
  token: string;
}

export interface StateLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** False once another process took the lock over (ours had gone stale): stop writing the state dir. */
  stillHeld(): Promise<boolean>;
  /** Removes the lock file if it is still ours. */
  release(): Promise<void>;
}

export interface LockOptions {
  purpose: string;
  /** How long to wait for a held lock before giving up (ms); 0 tries once. */
  waitMs: number;
  /**
   * A lock whose file was not refreshed for this long belongs to a process that is frozen or on
   * another host that died; one whose holder on this host is no longer running is stale at once.
   */
  staleMs?: number;
  signal?: AbortSignal;
}

export type LockAttempt = { lock: StateLock } | { lock?: undefined; heldBy: LockHolder | undefined };

const DEFAULT_STALE_MS = 120_000;
const POLL_MS = { first: 25, max: 500 };

/**
 * Takes the state dir's lock, waiting up to `waitMs` while another process holds it. Never waits
 * longer: a caller that gets `heldBy` back goes on without writing the state dir.
 */
export async function lockStateDir(stateDir: string, options: LockOptions): Promise<LockAttempt> {
  const path = join(stateDir, STATE_LOCK_NAME);
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const deadline = Date.now() + options.waitMs;
  let pause = POLL_MS.first;
  for (;;) {
    options.signal?.throwIfAborted();
    const holder = newHolder(options.purpose);
    if (await create(path, holder)) return { lock: heldLock(path, holder, staleMs) };
    const current = await readHolder(path);
    if (current === 'gone') continue;
    if (await isStale(path, current, staleMs)) {
      await takeOver(path, current);
      continue;
    }
    if (Date.now() >= deadline) return { heldBy: current };
    await sleep(Math.min(pause, Math.max(1, deadline - Date.now())), undefined, { signal: options.signal });
    pause = Math.min(pause * 2, POLL_MS.max);
  }
}

function newHolder(purpose: string): LockHolder {
  return {
    pid: process.pid,
    host: hostname(),
    purpose,
    since: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
}

async function create(path: string, holder: LockHolder): Promise<boolean> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, 'wx', 0o600);
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    await file.writeFile(`${JSON.stringify(holder)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  return true;
}

/**
 * The holder the file names; undefined when it cannot be read as one (a file cut short by a crash
 * between create and write: judged by its age alone); 'gone' when it was released meanwhile.
 */
async function readHolder(path: string): Promise<LockHolder | undefined | 'gone'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') {
      return {
        pid: value.pid,
        host: value.host,
        purpose: String(value.purpose ?? 'unknown'),
        since: String(value.since ?? ''),
        token: value.token,
      };
    }
  } catch {
    // Judged by its age below.
  }
  return undefined;
}

async function isStale(path: string, holder: LockHolder | undefined, staleMs: number): Promise<boolean> {
  if (holder && holder.host === hostname() && !isRunning(holder.pid)) return true;
  try {
    return Date.now() - (await stat(path)).mtimeMs > staleMs;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Removes a stale lock without removing a fresh one that replaced it meanwhile: the file is first
 * renamed aside, and put back when what was renamed is not the holder judged stale.
 */
async function takeOver(path: string, stale: LockHolder | undefined): Promise<void> {
  const aside = `${path}.stale-${randomBytes(6).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw error;
  }
  const renamed = await readHolder(aside);
  const same = renamed === 'gone' || renamed?.token === stale?.token;
  if (!same) {
    // link() fails when a lock exists again: that one then stands, and the renamed one is dropped.
    await link(aside, path).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

function heldLock(path: string, holder: LockHolder, staleMs: number): StateLock {
  const ours = async () => {
    const current = await readHolder(path);
    return current !== 'gone' && current?.token === holder.token;
  };
  // Refreshed well within staleMs, so a live holder is never judged stale by another host.
  const refresh = setInterval(
    () => {
      const now = new Date();
      utimes(path, now, now).catch(() => undefined);
    },
    Math.max(1000, Math.floor(staleMs / 4)),
  );
  refresh.unref();
  let released = false;
  return {
    path,
    holder,
    stillHeld: ours,
    async release() {
      if (released) return;
      released = true;
      clearInterval(refresh);
      if (await ours()) await unlink(path).catch(() => undefined);
    },
  };
}
