// MD5s of content we hashed, remembered by its sha256: an object's ETag is compared with the MD5 of a
// local copy, and content with the same sha256 has the same MD5, so a copy is read for it once, not
// on every run (trustEtagMd5).
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../state/atomic-file.js';

export const MD5_STORE_NAME = 'etag-md5.json';
/** Content no run asked about for this long is most likely gone: its entry is dropped. */
const FORGET_AFTER_MS = 180 * 24 * 3600 * 1000;

interface Entry {
  md5: string;
  /** When a run last asked for it (epoch ms). */
  usedAt: number;
}

export interface Md5Store {
  get(sha256: string): string | undefined;
  set(sha256: string, md5: string): void;
  /** Writes it when anything changed (not in a read-only run). */
  save(): Promise<void>;
}

const HEX = /^[0-9a-f]+$/;

export async function openMd5Store(stateDir: string, options: { now: number; readOnly: boolean }): Promise<Md5Store> {
  const path = join(stateDir, MD5_STORE_NAME);
  const entries = new Map<string, Entry>();
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Record<string, Partial<Entry>>;
    for (const [sha256, entry] of Object.entries(parsed)) {
      // A damaged entry is forgotten: the copy is read again, never trusted on a guess.
      if (
        HEX.test(sha256) &&
        typeof entry.md5 === 'string' &&
        HEX.test(entry.md5) &&
        typeof entry.usedAt === 'number'
      ) {
        entries.set(sha256, { md5: entry.md5, usedAt: entry.usedAt });
      }
    }
  } catch {
    // None yet, or unreadable: every MD5 is computed again.
  }
  let changed = false;
  return {
    get(sha256) {
      const entry = entries.get(sha256);
      if (!entry) return undefined;
      if (options.now - entry.usedAt > 24 * 3600 * 1000) {
        entry.usedAt = options.now;
        changed = true;
      }
      return entry.md5;
    },
    set(sha256, md5) {
      entries.set(sha256, { md5, usedAt: options.now });
      changed = true;
    },
    async save() {
      if (!changed || options.readOnly) return;
      const kept: Record<string, Entry> = {};
      for (const [sha256, entry] of entries) if (options.now - entry.usedAt <= FORGET_AFTER_MS) kept[sha256] = entry;
      await mkdir(stateDir, { recursive: true, mode: 0o700 });
      writeFileAtomic(path, `${JSON.stringify(kept)}\n`, 0o600);
      changed = false;
    },
  };
}
