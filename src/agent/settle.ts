// Waits for changed paths to go still: a path counts once its size and mtime have stayed the same for
// settleMs (re-stat every pollIntervalMs; a new event or a new size or mtime starts the wait again), so a
// backup job writing a 50 GB dump gives one change when it is done, not one per chunk. Paths that settle
// at the same look are handed over together.
import { lstat } from 'node:fs/promises';

export interface Settler {
  /** A change was seen at `path`: it waits (again) for settleMs of stillness. */
  note(path: string): void;
  has(path: string): boolean;
  stop(): void;
}

interface Pending {
  /** size:mtime, or "gone" once the path is missing: a removed backup is a change too. */
  signature: string | undefined;
  stillSince: number;
}

export function createSettler(options: {
  settleMs: number;
  pollIntervalMs: number;
  onSettled: (paths: string[]) => void;
  onError: (error: unknown) => void;
  /** A monotonic clock in ms (default performance.now): tests drive it to keep load out of the timing. */
  now?: () => number;
}): Settler {
  const { settleMs, pollIntervalMs, onSettled, onError } = options;
  const now = options.now ?? (() => performance.now());
  const pending = new Map<string, Pending>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const look = async () => {
    timer = undefined;
    const settled: string[] = [];
    for (const [path, entry] of pending) {
      const signature = await signatureOf(path);
      if (stopped) return;
      const at = now();
      if (signature !== entry.signature) {
        entry.signature = signature;
        entry.stillSince = at;
      } else if (at - entry.stillSince >= settleMs) {
        settled.push(path);
      }
    }
    for (const path of settled) pending.delete(path);
    if (pending.size > 0) schedule();
    if (settled.length > 0) onSettled(settled);
  };

  const schedule = () => {
    if (timer || stopped) return;
    timer = setTimeout(() => look().catch(onError), pollIntervalMs);
  };

  return {
    note(path) {
      if (stopped) return;
      const entry = pending.get(path);
      if (entry) entry.stillSince = now();
      else pending.set(path, { signature: undefined, stillSince: now() });
      schedule();
    },
    has: (path) => pending.has(path),
    stop() {
      stopped = true;
      clearTimeout(timer);
      pending.clear();
    },
  };
}

async function signatureOf(path: string): Promise<string> {
  try {
    const stats = await lstat(path, { bigint: true });
    return `${stats.size}:${stats.mtimeNs}`;
  } catch {
    return 'gone';
  }
}
