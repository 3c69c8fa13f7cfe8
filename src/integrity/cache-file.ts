// Reads and atomically writes the checksum cache file in the state dir (a versioned binary format).

/*
 * Format, version 4 (all of it machine-local: the state dir never moves between hosts):
 *   bytes 0..7    magic "B321CSUM"
 *   bytes 8..11   format version, uint32 little-endian (4)
 *   bytes 12..15  flags, uint32 LE: bit 0 set when the records are big-endian
 *   bytes 16..19  record count n, uint32 LE
 *   bytes 20..23  zero
 *   then n records of 88 bytes (native byte order, see cache-store.ts): device, ino, size, mtimeMs,
 *                 ctimeMs, hashedAt, lastSeen as float64, then the 32-byte sha256
 *   then 4 bytes: CRC-32 of the records, uint32 LE, so a torn or flipped byte is noticed
 * `device` is the key of the file's filesystem (device-key.ts), or, below zero, the st_dev of a
 * record read from an older version that no run has met since (legacyDeviceKey()).
 * Versions 1 to 3 kept st_dev there; versions 1 and 2 had 80-byte records without ctimeMs; version 1
 * ended with the sha256 of the records (32 bytes) instead of the CRC. All are still read, so an
 * upgrade re-hashes nothing: their records are keyed legacyDeviceKey(st_dev) until a file with that
 * st_dev is met, and get a ctime of NaN ("not known") when they had none, which the first lookup of
 * each file replaces with the ctime it sees (docs/disk-locations.md says why); the run that read
 * them saves version 4.
 * The CRC is there against accidents (a torn write, a bad sector), as the sha256 was: neither could
 * stop someone who can write the state dir.
 * A CRC rather than the sha256: it is read on the main thread of every warm verify.
 * Binary and fixed-size because a million entries must load in a fraction of a second: the file is
 * read straight into the cache's record buffer. Anything that does not check out is ignored with
 * a warning: the only cost of losing the cache is re-hashing.
 */

import { createHash, randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { endianness } from 'node:os';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Logger } from 'pino';
import { errnoCode, errorMessage } from '../errors.js';
import { type ChecksumCache, type LoadedRecords, RECORD_BYTES } from './cache-store.js';
import { legacyDeviceKey } from './device-key.js';

export const CACHE_FILE_NAME = 'checksum-cache.bin';
export const CACHE_FORMAT_VERSION = 4;
const MAGIC = Buffer.from('B321CSUM', 'latin1');
const HEADER_BYTES = 24;
/** The check at the end of the file, by format version: version 1's sha256, then a CRC-32. */
const CHECK_BYTES: Readonly<Record<number, number>> = { 1: 32, 2: 4, 3: 4, 4: 4 };
/** Records of versions 1 and 2: version 3's without ctimeMs. */
const OLD_RECORD_BYTES = 80;
/** The first version whose records are the current ones (88 bytes); before 4 they held st_dev. */
const CTIME_VERSION = 3;
const FLAG_BIG_ENDIAN = 1;
const NATIVE_FLAGS = endianness() === 'BE' ? FLAG_BIG_ENDIAN : 0;
/** Records written per write() call when saving (about 1 MiB). */
const RECORDS_PER_CHUNK = Math.floor(2 ** 20 / RECORD_BYTES);

/** The records of a cache file, or undefined (first run, or a file that was ignored with a warning). */
export async function loadCacheFile(path: string, logger: Logger): Promise<LoadedRecords | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') {
      logger.warn({ path, err: errorMessage(error) }, 'checksum cache unreadable; every file will be hashed again');
    }
    return undefined;
  }
  try {
    const stat = await handle.stat();
    const { size } = stat;
    const ignore = (why: string): undefined => {
      logger.warn({ path, why }, 'checksum cache ignored; every file will be hashed again');
      return undefined;
    };
    if (!stat.isFile()) return ignore('not a regular file');
    if (size < HEADER_BYTES) return ignore('file too short');
    const header = Buffer.alloc(HEADER_BYTES);
    if ((await handle.read(header, 0, HEADER_BYTES, 0)).bytesRead < HEADER_BYTES) return ignore('file too short');
    if (!header.subarray(0, 8).equals(MAGIC)) return ignore('not a checksum cache file');
    const version = header.readUInt32LE(8);
    const checkBytes = CHECK_BYTES[version];
    if (checkBytes === undefined) return ignore(`format version ${version}, expected ${CACHE_FORMAT_VERSION}`);
    if (header.readUInt32LE(12) !== NATIVE_FLAGS) return ignore('written on a machine of the other byte order');
    if (size < HEADER_BYTES + checkBytes) return ignore('file too short');
    const currentFormat = version === CACHE_FORMAT_VERSION;
    const currentRecords = version >= CTIME_VERSION;
    const recordBytes = currentRecords ? RECORD_BYTES : OLD_RECORD_BYTES;
    const count = (size - HEADER_BYTES - checkBytes) / recordBytes;
    if (!Number.isInteger(count)) return ignore('length is not a whole number of records');
    if (header.readUInt32LE(16) !== count) return ignore('record count does not match the length');
    // Room for this run's new files, so the first few do not copy the whole buffer.
    const capacity = count + Math.max(1024, Math.ceil(count / 4));
    // A file of 80-byte records is read as it is, then widened into a buffer of its own.
    const buffer = new ArrayBuffer(currentRecords ? HEADER_BYTES + capacity * RECORD_BYTES + checkBytes : size);
    const bytes = new Uint8Array(buffer, 0, size);
    for (let done = 0; done < size; ) {
      const { bytesRead } = await handle.read(bytes, done, size - done, done);
      if (bytesRead === 0) return ignore('file shrank while it was read');
      done += bytesRead;
    }
    const records = bytes.subarray(HEADER_BYTES, HEADER_BYTES + count * recordBytes);
    const check = Buffer.from(buffer, size - checkBytes, checkBytes);
    const intact =
      version === 1
        ? createHash('sha256').update(records).digest().equals(check)
        : crc32(records) === check.readUInt32LE(0);
    if (!intact) return ignore('checksum mismatch (corrupt)');
    if (currentFormat) return { buffer, base: HEADER_BYTES, count };
    if (!currentRecords) return widenRecords(records, count, capacity);
    markLegacy(new Float64Array(buffer, HEADER_BYTES, count * (RECORD_BYTES / 8)), RECORD_BYTES / 8);
    return { buffer, base: HEADER_BYTES, count, olderFormat: true };
  } catch (error) {
    logger.warn({ path, err: errorMessage(error) }, 'checksum cache unreadable; every file will be hashed again');
    return undefined;
  } finally {
    await handle.close();
  }
}

/** The st_dev in the first slot of each record becomes its legacy key, in place. */
function markLegacy(records: Float64Array, stride: number): void {
  for (let at = 0; at < records.length; at += stride) records[at] = legacyDeviceKey(records[at] as number);
}

/**
 * Records of versions 1 and 2 in the current layout, with ctime NaN (not known) and their st_dev as
 * a legacy key. Once per upgrade: about 1,000,000 records a second at worst, and no file read again.
 */
function widenRecords(old: Uint8Array, count: number, capacity: number): LoadedRecords {
  const oldF64 = OLD_RECORD_BYTES / 8;
  const newF64 = RECORD_BYTES / 8;
  const from = new Float64Array(old.buffer, old.byteOffset, count * oldF64);
  const buffer = new ArrayBuffer(capacity * RECORD_BYTES);
  const to = new Float64Array(buffer);
  const bytes = new Uint8Array(buffer);
  for (let record = 0; record < count; record++) {
    const a = record * oldF64;
    const b = record * newF64;
    // st_dev, ino, size, mtimeMs; ctimeMs not known; hashedAt, lastSeen; then the sha256.
    to[b] = legacyDeviceKey(from[a] as number);
    for (let slot = 1; slot < 4; slot++) to[b + slot] = from[a + slot] as number;
    to[b + 4] = Number.NaN;
    to[b + 5] = from[a + 4] as number;
    to[b + 6] = from[a + 5] as number;
    bytes.set(old.subarray(record * OLD_RECORD_BYTES + 48, (record + 1) * OLD_RECORD_BYTES), b * 8 + 56);
  }
  return { buffer, base: 0, count, olderFormat: true };
}

export interface SaveResult {
  written: number;
  pruned: number;
}

/**
 * Writes the cache atomically: a temp file in the same directory, fsync, rename over the old one,
 * fsync of the directory. Readers see the old file or the new one, never half of one.
 * Entries last seen before `seenSince` are dropped (files long gone, most likely).
 */
export async function saveCacheFile(path: string, cache: ChecksumCache, seenSince: number): Promise<SaveResult> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    const { words, offsets, pruned } = cache.liveRecords(seenSince);
    const chunk = new ArrayBuffer(RECORDS_PER_CHUNK * RECORD_BYTES);
    const chunkWords = new Uint32Array(chunk);
    const chunkBytes = new Uint8Array(chunk);
    const wordsPerRecord = RECORD_BYTES / 4;
    let crc = 0;
    let position = HEADER_BYTES;
    // Copy records into a 1 MiB chunk and write it, so saving a million entries needs no second
    // copy of the cache in memory.
    for (let first = 0; first < offsets.length; first += RECORDS_PER_CHUNK) {
      const last = Math.min(offsets.length, first + RECORDS_PER_CHUNK);
      // Live records mostly lie back to back: each run of them is one native copy, not a loop per word.
      for (let record = first; record < last; ) {
        const from = offsets[record] as number;
        let end = record + 1;
        while (end < last && offsets[end] === from + (end - record) * wordsPerRecord) end++;
        chunkWords.set(words.subarray(from, from + (end - record) * wordsPerRecord), (record - first) * wordsPerRecord);
        record = end;
      }
      const part = chunkBytes.subarray(0, (last - first) * RECORD_BYTES);
      crc = crc32(part, crc);
      await writeAll(handle, part, position);
      position += part.length;
    }
    const written = offsets.length;
    const check = Buffer.alloc(CHECK_BYTES[CACHE_FORMAT_VERSION] as number);
    check.writeUInt32LE(crc, 0);
    await writeAll(handle, check, position);
    const header = Buffer.alloc(HEADER_BYTES);
    MAGIC.copy(header, 0);
    header.writeUInt32LE(CACHE_FORMAT_VERSION, 8);
    header.writeUInt32LE(NATIVE_FLAGS, 12);
    header.writeUInt32LE(written, 16);
    await writeAll(handle, header, 0);
    await handle.sync();
    await handle.close();
    await rename(temp, path);
    await syncDirectory(dirname(path));
    return { written, pruned };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
}

async function writeAll(handle: Awaited<ReturnType<typeof open>>, data: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < data.length; ) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

/** Makes the rename itself durable; best effort (some filesystems refuse fsync on a directory). */
export async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
