// What --deep read in a bucket, remembered in the state dir by the object's identity as listed (key,
// ETag, size, LastModified): a later quick run still knows the object was read, when, and what it
// hashed to, until the object changes.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../state/atomic-file.js';
import type { ListedObject } from './list.js';

/** Entries of objects no run listed for this long are dropped: the objects are most likely gone. */
const FORGET_AFTER_MS = 180 * 24 * 3600 * 1000;
const SHA256 = /^[0-9a-f]{64}$/;

export interface DeepRead {
  sha256: string;
  /** When it was downloaded and hashed (epoch ms). */
  hashedAt: number;
}

export interface DeepResults {
  get(object: ListedObject): DeepRead | undefined;
  set(object: ListedObject, read: DeepRead): void;
  save(): Promise<void>;
}

type Stored = Record<string, [sha256: string, hashedAt: number, lastSeen: number]>;

/** The file of one location's remembered reads: `stateDir/s3-deep-<location id>.json`. */
export const deepResultsFile = (stateDir: string, locationId: string): string =>
  join(stateDir, `s3-deep-${locationId}.json`);

const identity = (bucket: string, object: ListedObject): string =>
  [bucket, object.key, object.etag ?? '', object.bytes, object.lastModified].join('\u0000');

export async function openDeepResults(
  stateDir: string,
  locationId: string,
  bucket: string,
  options: { now: number; readOnly: boolean },
): Promise<DeepResults> {
  const path = deepResultsFile(stateDir, locationId);
  const entries = new Map<string, [string, number, number]>();
  try {
    const stored = JSON.parse(await readFile(path, 'utf8')) as Stored;
    for (const [id, entry] of Object.entries(stored)) {
      // A damaged entry is dropped: that object is not known to have been read.
      if (
        Array.isArray(entry) &&
        SHA256.test(String(entry[0])) &&
        Number.isFinite(entry[1]) &&
        Number.isFinite(entry[2])
      )
        entries.set(id, [entry[0], entry[1], entry[2]]);
    }
  } catch {
    // None yet, or unreadable: nothing is known to have been read.
  }
  let changed = false;
  return {
    get(object) {
      const entry = entries.get(identity(bucket, object));
      if (!entry) return undefined;
      if (options.now - entry[2] > 24 * 3600 * 1000) {
        entry[2] = options.now;
        changed = true;
      }
      return { sha256: entry[0], hashedAt: entry[1] };
    },
    set(object, read) {
      entries.set(identity(bucket, object), [read.sha256, read.hashedAt, options.now]);
      changed = true;
    },
    async save() {
      if (!changed || options.readOnly) return;
      const kept: Stored = {};
      for (const [id, entry] of entries) if (options.now - entry[2] <= FORGET_AFTER_MS) kept[id] = entry;
      await mkdir(stateDir, { recursive: true, mode: 0o700 });
      writeFileAtomic(path, `${JSON.stringify(kept)}\n`, 0o600);
      changed = false;
    },
  };
}
