// A small store in the state dir of facts worth remembering between runs (an MD5 by content, what a
// deep run read of an object), each marked with when a run last asked for it and dropped after long
// disuse: a JSON file written whole, only when something changed, never by a read-only run.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

/** Asking for an entry marks it used; it is rewritten for that at most once a day. */
const TOUCH_AFTER_MS = 24 * 3600 * 1000;
/** An entry no run asked for in this long is most likely of content that is gone. */
export const FORGET_AFTER_MS = 180 * 24 * 3600 * 1000;

export interface Remembered<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
  /** Writes the file when anything changed, without the entries unused for FORGET_AFTER_MS. */
  save(): Promise<void>;
}

export interface RememberedOptions<T> {
  now: number;
  readOnly: boolean;
  /** The value when a stored one is sound, else undefined: a damaged entry is forgotten, never guessed at. */
  read: (stored: unknown) => T | undefined;
}

interface Entry<T> {
  value: T;
  usedAt: number;
}

export async function openRemembered<T>(path: string, options: RememberedOptions<T>): Promise<Remembered<T>> {
  const entries = new Map<string, Entry<T>>();
  try {
    const stored = JSON.parse(await readFile(path, 'utf8')) as Record<string, { value?: unknown; usedAt?: unknown }>;
    for (const [key, entry] of Object.entries(stored)) {
      const value = options.read(entry?.value);
      if (value !== undefined && typeof entry.usedAt === 'number') entries.set(key, { value, usedAt: entry.usedAt });
    }
  } catch {
    // None yet, or unreadable: nothing is remembered.
  }
  let changed = false;
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (options.now - entry.usedAt > TOUCH_AFTER_MS) {
        entry.usedAt = options.now;
        changed = true;
      }
      return entry.value;
    },
    set(key, value) {
      entries.set(key, { value, usedAt: options.now });
      changed = true;
    },
    async save() {
      if (!changed || options.readOnly) return;
      const kept: Record<string, Entry<T>> = {};
      for (const [key, entry] of entries) if (options.now - entry.usedAt <= FORGET_AFTER_MS) kept[key] = entry;
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      writeFileAtomic(path, `${JSON.stringify(kept)}\n`, 0o600);
      changed = false;
    },
  };
}
