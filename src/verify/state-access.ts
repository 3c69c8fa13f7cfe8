// How a run may use the state dir: as its one writer (holding the lock), or read-only when another
// process (the agent) holds it past the wait, said once in the log.
import { mkdir } from 'node:fs/promises';
import type { Logger } from 'pino';
import { lockStateDir, type StateLock } from '../state/state-lock.js';

/** How long a run waits for the state dir before going on read-only: an agent's run holds it for minutes. */
export const DEFAULT_STATE_WAIT_MS = 30_000;

export interface StateAccess {
  /** The cache and measurements are read and used, never written. */
  readOnly: boolean;
  /** False once the lock is no longer ours: the run then writes nothing more. */
  mayWrite(): Promise<boolean>;
  release(): Promise<void>;
}

export interface StateAccessOptions {
  logger: Logger;
  purpose: string;
  waitMs?: number;
  signal?: AbortSignal | undefined;
  /** A lock the caller holds already (the agent holds its state dir while it runs): used, not released. */
  held?: StateLock | undefined;
}

export async function openStateDir(stateDir: string, options: StateAccessOptions): Promise<StateAccess> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  if (options.held) {
    const held = options.held;
    return { readOnly: false, mayWrite: () => held.stillHeld(), release: async () => undefined };
  }
  const attempt = await lockStateDir(stateDir, {
    purpose: options.purpose,
    waitMs: options.waitMs ?? DEFAULT_STATE_WAIT_MS,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (attempt.lock) {
    const lock = attempt.lock;
    return { readOnly: false, mayWrite: () => lock.stillHeld(), release: () => lock.release() };
  }
  const holder = attempt.heldBy;
  options.logger.warn(
    { stateDir, holder },
    holder
      ? `the state dir is in use by ${holder.purpose} (pid ${holder.pid} on ${holder.host}, since ${holder.since}): this run uses the checksum cache read-only`
      : 'the state dir is in use by another process: this run uses the checksum cache read-only',
  );
  return { readOnly: true, mayWrite: async () => false, release: async () => undefined };
}
