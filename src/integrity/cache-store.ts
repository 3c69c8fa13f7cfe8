// The checksum cache in memory: (device key, inode) → size, mtime, ctime, sha256, times; compact for millions of files.

/*
 * Layout: one growable ArrayBuffer of fixed 88-byte records (the same bytes as the cache file, so a
 * load is one read and no parsing), plus an index (device, ino) → record number in a hash table of
 * record numbers (record-index.ts); the sha256 lives as 32 raw bytes, not a 64-char string.
 *
 * The device is the key of the file's filesystem (device-key.ts), which outlives a reboot, not its
 * st_dev; records of a release that kept st_dev hold legacyDeviceKey(st_dev) until adoptLegacy().
 *
 * Keyed by (device, ino) rather than (device, ino, size, mtime, ctime): a file rewritten in place replaces
 * its own entry instead of leaving the old version behind, so the cache cannot grow with history.
 * Size, mtime and ctime are checked on lookup: a write that restored the mtime (touch -d, rsync -t,
 * a tamperer) still moves the ctime, which no one can set back short of the system clock.
 *
 * Racily clean (git's rule): an entry whose file's mtime lies less than RACY_MS before the time it
 * was hashed, or after it, is not trusted. A write in the same tick of the filesystem's clock as the
 * one before the hash keeps size, mtime and (mostly) ctime, so only a re-read can tell; once a read
 * began well after the mtime, a later write must move the mtime.
 */

import { legacyDeviceKey } from './device-key.js';
import { createRecordIndex, type RecordIndex } from './record-index.js';

export const RECORD_BYTES = 88;
const F64_PER_RECORD = RECORD_BYTES / 8;
// Float64 slots within a record; bytes 56..87 hold the sha256.
const DEV = 0;
const INO = 1;
const SIZE = 2;
const MTIME = 3;
/** NaN: not known (a record converted from a format without it); the first lookup adopts the file's. */
const CTIME = 4;
const HASHED_AT = 5;
const LAST_SEEN = 6;
const SHA_OFFSET = 56;

/**
 * How long after its mtime a file must have been hashed for the entry to be trusted: more than the
 * coarsest timestamp tick of a common filesystem (FAT's 2 s; ext4, xfs and tmpfs tick with the
 * kernel's clock, a few ms) and than the time between the read and the time recorded for it.
 */
export const RACY_MS = 2000;

/** A hit's lastSeen is rewritten at most this often, so warm runs do not rewrite the file every time. */
const TOUCH_INTERVAL_MS = 24 * 3600 * 1000;

/** What identifies a file's content on its filesystem (a FileIdentity has these fields, and more). */
export interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

export interface CachedChecksum {
  sha256: string;
  /** When the content was hashed (epoch ms). */
  hashedAt: number;
}

export interface ChecksumCache {
  /**
   * The checksum for this file on the filesystem keyed `device`, or undefined when unknown, the file
   * changed since, or the entry is racily clean (RACY_MS). Marks it seen at `now`.
   */
  lookup(device: number, file: FileStamp, now: number): CachedChecksum | undefined;
  /**
   * What a re-read of this file is to be compared with: its entry when size and mtime are the same
   * and the entry was not racily clean, whatever the ctime. A different sha256 then means the bytes
   * changed behind an unchanged size and mtime.
   */
  previous(device: number, file: FileStamp): CachedChecksum | undefined;
  store(device: number, file: FileStamp, sha256: string, hashedAt: number, now: number): void;
  /** Drops the entry when it describes exactly this file (a file seen to have vanished). */
  forget(device: number, file: FileStamp): void;
  /**
   * Gives the records an older release kept under this st_dev the key of the filesystem that has it
   * now (docs/disk-locations.md says why that is trusted); a record the filesystem has one of its own
   * for is dropped. How many were adopted.
   */
  adoptLegacy(stDev: number, device: number): number;
  /** True once anything changed since load or the last markSaved() (a store, a forget, a lastSeen refresh). */
  readonly dirty: boolean;
  /**
   * Called just before a save takes its records: a change made while the save runs makes the cache
   * dirty again, so the next save writes it. A failed save calls markUnsaved().
   */
  markSaved(): void;
  markUnsaved(): void;
  readonly size: number;
  /** Drops every record and hands the record memory back now; the cache is empty and unusable after. */
  release(): void;
  /**
   * Every live record for writing out: `words` views the record buffer as uint32 (22 words per
   * record) and `offsets` holds where each record starts. Records last seen before `seenSince`
   * are left out and counted in `pruned`. Valid until the next store().
   */
  liveRecords(seenSince: number): { words: Uint32Array; offsets: Uint32Array; pruned: number };
}

/** Records as loaded from a file: `buffer` holds `count` records from byte `base`, with room to grow. */
export interface LoadedRecords {
  buffer: ArrayBuffer;
  base: number;
  count: number;
  /** Read from a file of an older format: the cache starts dirty, so the next save writes the current one. */
  olderFormat?: boolean;
}

const isLegacy = (device: number): boolean => device < 0;

/**
 * Indexes the loaded records; how many are live, and how many of those an older release keyed by
 * st_dev. A function of its own, so its loop is compiled apart.
 */
function indexRecords(index: RecordIndex, f64: Float64Array, count: number): { live: number; legacy: number } {
  let live = 0;
  let legacy = 0;
  for (let record = 0; record < count; record++) {
    const device = f64[record * F64_PER_RECORD + DEV] as number;
    // A later record for the same file wins, as it did when it was written.
    if (index.set(device, f64[record * F64_PER_RECORD + INO] as number, record)) {
      live++;
      if (isLegacy(device)) legacy++;
    }
  }
  return { live, legacy };
}

export function createChecksumCache(loaded?: LoadedRecords): ChecksumCache {
  const buffer = loaded?.buffer ?? new ArrayBuffer(RECORD_BYTES * 1024);
  const base = loaded?.base ?? 0;
  let count = loaded?.count ?? 0;
  let capacity = Math.floor((buffer.byteLength - base) / RECORD_BYTES);
  let f64 = new Float64Array(buffer, base, capacity * F64_PER_RECORD);
  let words = new Uint32Array(buffer, base, capacity * (RECORD_BYTES / 4));
  // A Buffer over the same bytes: sha256 hex is written and read in place, with no Buffer per call.
  let text = Buffer.from(buffer, base, capacity * RECORD_BYTES);
  let dirty = loaded?.olderFormat ?? false;
  const index = createRecordIndex(() => f64, { stride: F64_PER_RECORD, devAt: DEV, inoAt: INO }, count);
  const indexed = indexRecords(index, f64, count);
  let liveCount = indexed.live;
  /** Live records still under an older release's st_dev: almost always 0, and then adoptLegacy() costs nothing. */
  let legacyCount = indexed.legacy;
  /** st_dev → its legacy records, made at the first adoptLegacy(): one pass over the records, not one per device. */
  let legacyRecords: Map<number, number[]> | undefined;

  function grow(): void {
    const next = new ArrayBuffer(Math.max(RECORD_BYTES * 1024, capacity * 2 * RECORD_BYTES));
    new Uint8Array(next).set(text.subarray(0, count * RECORD_BYTES));
    f64 = new Float64Array(next);
    words = new Uint32Array(next);
    text = Buffer.from(next);
    capacity = Math.floor(next.byteLength / RECORD_BYTES);
  }

  /**
   * Where the next lookup's file most likely is: a walk meets files in the order the last run met
   * (and stored) them, so the record after the last one found usually holds the next file. Checked
   * there first, it saves the index's probe, a random read of memory. Only while every record is live:
   * a record replaced by a later one for the same file, or forgotten, may still hold its key, and only
   * the index knows it is dead.
   */
  let next = 0;

  return {
    lookup(device, key, now) {
      let record: number;
      if (
        liveCount === count &&
        next < count &&
        f64[next * F64_PER_RECORD + INO] === key.ino &&
        f64[next * F64_PER_RECORD + DEV] === device
      )
        record = next;
      else {
        record = index.find(device, key.ino);
        if (record === -1) return undefined;
      }
      next = record + 1;
      const at = record * F64_PER_RECORD;
      if (f64[at + SIZE] !== key.size || f64[at + MTIME] !== key.mtimeMs) return undefined;
      const hashedAt = f64[at + HASHED_AT] as number;
      if (key.mtimeMs > hashedAt - RACY_MS) return undefined;
      if (f64[at + CTIME] !== key.ctimeMs) {
        if (!Number.isNaN(f64[at + CTIME])) return undefined;
        // Converted from a format without ctime: the ctime seen now is adopted (docs/disk-locations.md).
        f64[at + CTIME] = key.ctimeMs;
        dirty = true;
      }
      if (now - (f64[at + LAST_SEEN] as number) >= TOUCH_INTERVAL_MS) {
        f64[at + LAST_SEEN] = now;
        dirty = true;
      }
      const start = record * RECORD_BYTES + SHA_OFFSET;
      return { sha256: text.toString('hex', start, start + 32), hashedAt };
    },

    previous(device, key) {
      const record = index.find(device, key.ino);
      if (record === -1) return undefined;
      const at = record * F64_PER_RECORD;
      if (f64[at + SIZE] !== key.size || f64[at + MTIME] !== key.mtimeMs) return undefined;
      const hashedAt = f64[at + HASHED_AT] as number;
      if (key.mtimeMs > hashedAt - RACY_MS) return undefined;
      const start = record * RECORD_BYTES + SHA_OFFSET;
      return { sha256: text.toString('hex', start, start + 32), hashedAt };
    },

    store(device, key, sha256, hashedAt, now) {
      let record = index.find(device, key.ino);
      if (record === -1) {
        if (count === capacity) grow();
        record = count++;
        // Written before it is indexed: the index reads a record's key to place it.
        f64[record * F64_PER_RECORD + DEV] = device;
        f64[record * F64_PER_RECORD + INO] = key.ino;
        index.set(device, key.ino, record);
        liveCount++;
      }
      const at = record * F64_PER_RECORD;
      f64[at + DEV] = device;
      f64[at + INO] = key.ino;
      f64[at + SIZE] = key.size;
      f64[at + MTIME] = key.mtimeMs;
      f64[at + CTIME] = key.ctimeMs;
      f64[at + HASHED_AT] = hashedAt;
      f64[at + LAST_SEEN] = now;
      text.write(sha256, record * RECORD_BYTES + SHA_OFFSET, 32, 'hex');
      dirty = true;
    },

    forget(device, key) {
      const record = index.find(device, key.ino);
      if (record === -1) return;
      const at = record * F64_PER_RECORD;
      if (f64[at + SIZE] !== key.size || f64[at + MTIME] !== key.mtimeMs) return;
      index.remove(device, key.ino);
      liveCount--;
      dirty = true;
    },

    adoptLegacy(stDev, device) {
      if (legacyCount === 0) return 0;
      legacyRecords ??= groupLegacyRecords(f64, count);
      const records = legacyRecords.get(legacyDeviceKey(stDev));
      if (!records) return 0;
      legacyRecords.delete(legacyDeviceKey(stDev));
      let adopted = 0;
      for (const record of records) {
        const at = record * F64_PER_RECORD;
        const ino = f64[at + INO] as number;
        // Not live: replaced by a later record for the same file, or forgotten.
        if (index.find(legacyDeviceKey(stDev), ino) !== record) continue;
        index.remove(legacyDeviceKey(stDev), ino);
        legacyCount--;
        dirty = true;
        // The filesystem's own entry for the file is newer than any an older release left.
        if (index.find(device, ino) !== -1) {
          liveCount--;
          continue;
        }
        f64[at + DEV] = device;
        index.set(device, ino, record);
        adopted++;
      }
      return adopted;
    },

    get dirty() {
      return dirty;
    },

    markSaved() {
      dirty = false;
    },

    markUnsaved() {
      dirty = true;
    },

    get size() {
      return liveCount;
    },

    release() {
      // Dropped, the old buffer would be freed only at a full GC, maybe after the run's peak: transferred, it goes now.
      const records = f64.buffer as ArrayBuffer;
      structuredClone(records, { transfer: [records] });
      index.clear();
      count = 0;
      liveCount = 0;
      capacity = 0;
      f64 = new Float64Array(0);
      words = new Uint32Array(0);
      text = Buffer.alloc(0);
    },

    liveRecords(seenSince) {
      const offsets = new Uint32Array(liveCount);
      let kept = 0;
      let pruned = 0;
      for (let record = 0; record < count; record++) {
        const at = record * F64_PER_RECORD;
        // Live: the record its file's key points at (not one replaced by a later record, nor forgotten).
        if (index.find(f64[at + DEV] as number, f64[at + INO] as number) !== record) continue;
        if ((f64[at + LAST_SEEN] as number) < seenSince) pruned++;
        else offsets[kept++] = record * (RECORD_BYTES / 4);
      }
      return { words, offsets: offsets.subarray(0, kept), pruned };
    },
  };
}

/** The records each st_dev of an older release holds, by their legacy key (records are never made legacy later). */
function groupLegacyRecords(f64: Float64Array, count: number): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (let record = 0; record < count; record++) {
    const device = f64[record * F64_PER_RECORD + DEV] as number;
    if (!isLegacy(device)) continue;
    const group = groups.get(device);
    if (group) group.push(record);
    else groups.set(device, [record]);
  }
  return groups;
}
