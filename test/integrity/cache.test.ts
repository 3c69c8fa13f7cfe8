// Tests the checksum cache: lookups by identity, the binary file, atomic saves, corrupt files, pruning.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { pino } from 'pino';
import t from 'tap';
import { CACHE_FILE_NAME, loadCacheFile, saveCacheFile } from '../../src/integrity/cache-file.js';
import {
  createChecksumCache,
  type FileStamp,
  type LoadedRecords,
  RECORD_BYTES,
} from '../../src/integrity/cache-store.js';
import { deviceKeyOf, legacyDeviceKey } from '../../src/integrity/device-key.js';

const A = 'a1'.repeat(32);
const B = 'b2'.repeat(32);
const DAY = 24 * 3600 * 1000;
const T0 = Date.UTC(2026, 10, 24);
/** The key of the files' filesystem, as the service derives it from the filesystem's identity. */
const DEV = deviceKeyOf('uuid:4f1c2a3e-0b7d-4c55-9a0e-3d2b1c0f9e88');
/** What an older release kept in its place: the filesystem's st_dev then. */
const ST_DEV = 64769;

function key(ino: number, overrides: Partial<FileStamp> = {}): FileStamp {
  const mtimeMs = 1_795_000_000_123.456 + ino;
  return { ino, size: 1000 + ino, mtimeMs, ctimeMs: mtimeMs + 0.5, ...overrides };
}

function capturingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

t.test(
  'a stored checksum is found by the same identity and missed when size, mtime, ctime or inode differ',
  async (t) => {
    const cache = createChecksumCache();
    cache.store(DEV, key(1), A, T0, T0);
    t.same(cache.lookup(DEV, key(1), T0), { sha256: A, hashedAt: T0 });
    t.equal(cache.lookup(DEV, key(1, { size: 5 }), T0), undefined, 'size changed');
    t.equal(cache.lookup(DEV, key(1, { mtimeMs: 1 }), T0), undefined, 'mtime changed');
    t.equal(
      cache.lookup(DEV, key(1, { ctimeMs: key(1).ctimeMs + 1 }), T0),
      undefined,
      'ctime changed (mtime set back)',
    );
    t.equal(cache.lookup(DEV, key(2), T0), undefined, 'other inode');
    t.equal(cache.lookup(deviceKeyOf('uuid:another'), key(1), T0), undefined, 'other filesystem');
  },
);

t.test('an entry hashed less than 2 s after its mtime, or before it, is racily clean: not trusted', async (t) => {
  const cache = createChecksumCache();
  const mtimeMs = T0 - 1999;
  cache.store(DEV, key(1, { mtimeMs }), A, T0, T0);
  t.equal(cache.lookup(DEV, key(1, { mtimeMs }), T0 + DAY), undefined, 'hashed 1.999 s after the mtime');
  t.equal(cache.previous(DEV, key(1, { mtimeMs })), undefined, 'and no evidence of a change either');
  cache.store(DEV, key(2, { mtimeMs: T0 + 60_000 }), A, T0, T0);
  t.equal(cache.lookup(DEV, key(2, { mtimeMs: T0 + 60_000 }), T0 + DAY), undefined, 'an mtime after the hash');
  cache.store(DEV, key(3, { mtimeMs: T0 - 2000 }), A, T0, T0);
  t.same(
    cache.lookup(DEV, key(3, { mtimeMs: T0 - 2000 }), T0),
    { sha256: A, hashedAt: T0 },
    'hashed 2 s after: trusted',
  );
});

t.test('previous(): the entry for the same size and mtime, whatever the ctime', async (t) => {
  const cache = createChecksumCache();
  cache.store(DEV, key(1), A, T0, T0);
  t.same(cache.previous(DEV, key(1, { ctimeMs: key(1).ctimeMs + 5000 })), { sha256: A, hashedAt: T0 });
  t.equal(cache.previous(DEV, key(1, { mtimeMs: 7 })), undefined, 'another mtime: a write through the filesystem');
  t.equal(cache.previous(DEV, key(1, { size: 7 })), undefined, 'another size');
  t.equal(cache.previous(DEV, key(2)), undefined, 'unknown');
});

t.test('a file rewritten in place replaces its own entry instead of adding one', async (t) => {
  const cache = createChecksumCache();
  cache.store(DEV, key(1), A, T0, T0);
  cache.store(DEV, key(1, { size: 7 }), B, T0 + 1, T0 + 1);
  t.equal(cache.size, 1);
  t.same(cache.lookup(DEV, key(1, { size: 7 }), T0), { sha256: B, hashedAt: T0 + 1 });
});

t.test('forget drops an entry only when it describes exactly that file', async (t) => {
  const cache = createChecksumCache();
  cache.store(DEV, key(1), A, T0, T0);
  cache.forget(DEV, key(1, { size: 3 }));
  cache.forget(DEV, key(9));
  t.equal(cache.size, 1, 'another version or another inode is left alone');
  cache.forget(DEV, key(1));
  t.equal(cache.size, 0);
  t.equal(cache.lookup(DEV, key(1), T0), undefined);
});

/** Records as a cache file holds them, in this order (a key may repeat: the later record wins). */
function loadedRecords(entries: Array<{ key: FileStamp; sha256: string; device?: number }>): LoadedRecords {
  const buffer = new ArrayBuffer(RECORD_BYTES * (entries.length + 8));
  const f64 = new Float64Array(buffer);
  entries.forEach(({ key: k, sha256, device = DEV }, record) => {
    f64.set([device, k.ino, k.size, k.mtimeMs, k.ctimeMs, T0, T0], record * (RECORD_BYTES / 8));
    Buffer.from(buffer).write(sha256, record * RECORD_BYTES + 56, 32, 'hex');
  });
  return { buffer, base: 0, count: entries.length };
}

t.test('files met in the order they were stored are found, and so are files met out of order', async (t) => {
  const cache = createChecksumCache(
    loadedRecords(Array.from({ length: 50 }, (_, i) => ({ key: key(i + 1), sha256: i % 2 ? A : B }))),
  );
  for (let ino = 1; ino <= 50; ino++)
    t.equal(cache.lookup(DEV, key(ino), T0)?.sha256, ino % 2 ? B : A, `in order ${ino}`);
  for (const ino of [7, 3, 50, 1, 2, 2, 49, 8]) t.equal(cache.lookup(DEV, key(ino), T0)?.sha256, ino % 2 ? B : A);
  t.equal(cache.lookup(DEV, key(51), T0), undefined, 'the one after the last record is unknown');
  t.equal(cache.lookup(DEV, key(4, { size: 1 }), T0), undefined, 'found in place, but its size changed');
});

t.test(
  'a record replaced by a later one for the same file is never the answer, even where the next file is expected',
  async (t) => {
    // The file was rewritten between two runs of an older build that appended: record 0 is stale.
    const cache = createChecksumCache(
      loadedRecords([
        { key: key(1), sha256: A },
        { key: key(2), sha256: A },
        { key: key(1), sha256: B },
      ]),
    );
    t.equal(cache.size, 2);
    t.equal(cache.lookup(DEV, key(1), T0)?.sha256, B, 'the later record, not the first in the file');
    t.equal(cache.lookup(DEV, key(2), T0)?.sha256, A);
    t.equal(cache.lookup(DEV, key(1), T0)?.sha256, B);
  },
);

t.test('a forgotten file stays forgotten where the walk would expect it next', async (t) => {
  const cache = createChecksumCache(
    loadedRecords([
      { key: key(1), sha256: A },
      { key: key(2), sha256: B },
    ]),
  );
  cache.forget(DEV, key(2));
  t.equal(cache.lookup(DEV, key(1), T0)?.sha256, A);
  t.equal(cache.lookup(DEV, key(2), T0), undefined, 'record 1 still holds its key, but it was forgotten');
});

t.test('a fresh cache is clean; a hit marks it dirty only when lastSeen is a day old', async (t) => {
  const cache = createChecksumCache();
  t.notOk(cache.dirty);
  cache.store(DEV, key(1), A, T0, T0);
  const saved = await roundTrip(t.testdir(), cache, T0);
  saved.lookup(DEV, key(1), T0 + DAY / 2);
  t.notOk(saved.dirty, 'seen half a day ago: not worth a rewrite');
  saved.lookup(DEV, key(1), T0 + DAY);
  t.ok(saved.dirty, 'seen a day ago: lastSeen is refreshed');
});

t.test('the cache grows past its first buffer and keeps every entry', async (t) => {
  const cache = createChecksumCache();
  for (let ino = 1; ino <= 3000; ino++) cache.store(DEV, key(ino), ino % 2 ? A : B, T0, T0);
  t.equal(cache.size, 3000);
  t.same(cache.lookup(DEV, key(2999), T0), { sha256: A, hashedAt: T0 });
  t.same(cache.lookup(DEV, key(1), T0), { sha256: A, hashedAt: T0 });
});

/** Saves `cache` into a test dir and loads it back. */
async function roundTrip(dir: string, cache: ReturnType<typeof createChecksumCache>, seenSince: number) {
  const path = join(dir, CACHE_FILE_NAME);
  await saveCacheFile(path, cache, seenSince);
  const { logger } = capturingLogger();
  return createChecksumCache(await loadCacheFile(path, logger));
}

t.test('saved and loaded, every entry comes back bit for bit, and the loaded cache still grows', async (t) => {
  const cache = createChecksumCache();
  for (let ino = 1; ino <= 2000; ino++) cache.store(DEV, key(ino), ino % 2 ? A : B, T0 + ino, T0);
  const loaded = await roundTrip(t.testdir(), cache, 0);
  t.equal(loaded.size, 2000);
  t.same(loaded.lookup(DEV, key(1234), T0), { sha256: B, hashedAt: T0 + 1234 });
  t.notOk(loaded.dirty);
  for (let ino = 2001; ino <= 5000; ino++) loaded.store(DEV, key(ino), A, T0, T0);
  t.same(loaded.lookup(DEV, key(17), T0), { sha256: A, hashedAt: T0 + 17 });
  t.same(loaded.lookup(DEV, key(4999), T0), { sha256: A, hashedAt: T0 });
});

t.test('entries not seen since the cut-off are pruned on save; the rest are kept', async (t) => {
  const cache = createChecksumCache();
  cache.store(DEV, key(1), A, T0, T0 - 200 * DAY);
  cache.store(DEV, key(2), B, T0, T0);
  const dir = t.testdir();
  const result = await saveCacheFile(join(dir, CACHE_FILE_NAME), cache, T0 - 180 * DAY);
  t.same(result, { written: 1, pruned: 1 });
  const loaded = createChecksumCache(await loadCacheFile(join(dir, CACHE_FILE_NAME), capturingLogger().logger));
  t.equal(loaded.lookup(DEV, key(1), T0), undefined);
  t.same(loaded.lookup(DEV, key(2), T0), { sha256: B, hashedAt: T0 });
});

t.test('a save is atomic: no temp file is left, the file is private and parses', async (t) => {
  const cache = createChecksumCache();
  cache.store(DEV, key(1), A, T0, T0);
  const dir = t.testdir();
  const path = join(dir, CACHE_FILE_NAME);
  writeFileSync(path, 'the previous cache');
  const inodeBefore = statSync(path).ino;
  await saveCacheFile(path, cache, 0);
  t.same(readdirSync(dir), [CACHE_FILE_NAME]);
  t.not(statSync(path).ino, inodeBefore, 'renamed over, not rewritten in place');
  t.equal(statSync(path).mode & 0o777, 0o600);
  t.equal(readFileSync(path).subarray(0, 8).toString('latin1'), 'B321CSUM');
  const { logger, lines } = capturingLogger();
  t.ok(await loadCacheFile(path, logger));
  t.same(lines, []);
});

t.test('a failed save removes its temp file and leaves the old cache in place', async (t) => {
  const cache = createChecksumCache();
  cache.store(DEV, key(1), A, T0, T0);
  const dir = t.testdir({ [CACHE_FILE_NAME]: { 'a directory in the way': 'x' } });
  await t.rejects(saveCacheFile(join(dir, CACHE_FILE_NAME), cache, 0));
  t.same(readdirSync(dir), [CACHE_FILE_NAME]);
});

t.test('a missing cache file is a quiet first run', async (t) => {
  const { logger, lines } = capturingLogger();
  t.equal(await loadCacheFile(join(t.testdir(), CACHE_FILE_NAME), logger), undefined);
  t.same(lines, []);
});

t.test('a damaged cache file is ignored with a warning naming why', async (t) => {
  const cache = createChecksumCache();
  cache.store(DEV, key(1), A, T0, T0);
  cache.store(DEV, key(2), B, T0, T0);
  const dir = t.testdir();
  const good = join(dir, 'good.bin');
  await saveCacheFile(good, cache, 0);
  const bytes = readFileSync(good);
  const flipped = Buffer.from(bytes);
  flipped[24 + 50] = (flipped[24 + 50] as number) ^ 1;
  const withVersion = (version: number): Buffer => {
    const copy = Buffer.from(bytes);
    copy.writeUInt32LE(version, 8);
    return copy;
  };
  const withCount = Buffer.from(bytes);
  withCount.writeUInt32LE(5, 16);
  const withFlags = Buffer.from(bytes);
  withFlags.writeUInt32LE(1, 12);
  const cases: Array<[string, Buffer, RegExp]> = [
    ['empty', Buffer.alloc(0), /too short/],
    ['truncated mid-record', bytes.subarray(0, bytes.length - 40), /whole number of records/],
    ['truncated by a whole record', Buffer.concat([bytes.subarray(0, 24 + 88), bytes.subarray(-4)]), /count/],
    ['a flipped bit', flipped, /checksum mismatch/],
    ['another format', Buffer.concat([Buffer.from('SQLite format 3\0'), bytes.subarray(16)]), /not a checksum cache/],
    ['a future version', withVersion(5), /format version 5/],
    ['a version-1 file with a CRC where its sha256 belongs', withVersion(1), /whole number of records|checksum/],
    ['a version-2 header on version-3 records', withVersion(2), /whole number of records/],
    ['a wrong count', withCount, /count/],
    ['the other byte order', withFlags, /byte order/],
  ];
  for (const [name, content, why] of cases) {
    const path = join(dir, `${name}.bin`);
    writeFileSync(path, content);
    const { logger, lines } = capturingLogger();
    t.equal(await loadCacheFile(path, logger), undefined, name);
    t.match(lines, [{ level: 40, why, msg: /ignored/ }], name);
  }
});

/** A cache file of format 1 or 2 (80-byte records without ctime), as earlier releases wrote it. */
function olderFile(version: 1 | 2, entries: Array<{ key: FileStamp; sha256: string; hashedAt: number }>): Buffer {
  const records = Buffer.alloc(entries.length * 80);
  entries.forEach(({ key: k, sha256, hashedAt }, record) => {
    [ST_DEV, k.ino, k.size, k.mtimeMs, hashedAt, T0].forEach((value, slot) => {
      records.writeDoubleLE(value, record * 80 + slot * 8);
    });
    records.write(sha256, record * 80 + 48, 32, 'hex');
  });
  const header = Buffer.alloc(24);
  header.write('B321CSUM', 0, 'latin1');
  header.writeUInt32LE(version, 8);
  header.writeUInt32LE(entries.length, 16);
  const check = version === 1 ? createHash('sha256').update(records).digest() : Buffer.alloc(4);
  if (version === 2) check.writeUInt32LE(crc32(records), 0);
  return Buffer.concat([header, records, check]);
}

t.test('version-1 and version-2 files still load; each entry adopts the ctime its first lookup sees', async (t) => {
  const entries = [
    { key: key(1), sha256: A, hashedAt: T0 },
    { key: key(2), sha256: B, hashedAt: T0 + 1 },
  ];
  for (const version of [1, 2] as const) {
    const dir = t.testdir();
    const path = join(dir, CACHE_FILE_NAME);
    writeFileSync(path, olderFile(version, entries));
    const { logger, lines } = capturingLogger();
    const loaded = await loadCacheFile(path, logger);
    t.same(lines, [], `version ${version}: no warning`);
    t.equal(loaded?.count, 2);
    const cache = createChecksumCache(loaded);
    t.ok(cache.dirty, 'a cache read from an older format is saved again even if nothing changes');
    t.equal(cache.lookup(DEV, key(2), T0), undefined, 'kept under its st_dev: it answers for no filesystem yet');
    t.equal(cache.adoptLegacy(ST_DEV, DEV), 2, 'until a filesystem with that st_dev is met');
    t.same(cache.previous(DEV, key(2, { ctimeMs: 1 })), { sha256: B, hashedAt: T0 + 1 }, 'its records as they were');
    t.same(cache.lookup(DEV, key(2), T0), { sha256: B, hashedAt: T0 + 1 }, 'no re-hash: the ctime seen now is adopted');
    t.equal(cache.lookup(DEV, key(2, { ctimeMs: key(2).ctimeMs + 1 }), T0), undefined, 'and then checked like any');
    await saveCacheFile(path, cache, 0);
    const saved = readFileSync(path);
    t.equal(saved.readUInt32LE(8), 4, 'saved as version 4');
    t.equal(saved.length, 24 + 2 * 88 + 4, 'header, two records of 88 bytes, a 4-byte CRC');
    t.equal(saved.readUInt32LE(saved.length - 4), crc32(saved.subarray(24, 24 + 176)), 'the CRC-32 of the records');
    t.equal(saved.readDoubleLE(24), DEV, "the filesystem's key in place of the st_dev");
    const current = createChecksumCache(await loadCacheFile(path, logger));
    t.notOk(current.dirty, 'read back as version 4: nothing to save');
    t.same(current.lookup(DEV, key(2), T0), { sha256: B, hashedAt: T0 + 1 }, 'with the adopted ctime');
    t.same(
      current.lookup(DEV, key(1, { ctimeMs: 42 }), T0),
      { sha256: A, hashedAt: T0 },
      'one never looked up still adopts',
    );
  }
  const path = join(t.testdir(), CACHE_FILE_NAME);
  const flipped = olderFile(1, entries);
  flipped[24 + 100] = (flipped[24 + 100] as number) ^ 1;
  writeFileSync(path, flipped);
  const { logger, lines } = capturingLogger();
  t.equal(await loadCacheFile(path, logger), undefined, 'a version-1 file is still checked by its sha256');
  t.match(lines, [{ level: 40, why: /checksum mismatch/ }]);
});

t.test('a cache path that cannot be opened or read is ignored with a warning', async (t) => {
  const dir = t.testdir({ 'cache-dir': {}, file: 'x' });
  const { logger, lines } = capturingLogger();
  t.equal(await loadCacheFile(join(dir, 'cache-dir'), logger), undefined, 'a directory');
  t.equal(await loadCacheFile(join(dir, 'file', 'below-a-file'), logger), undefined, 'ENOTDIR on open');
  t.match(lines, [
    { level: 40, why: 'not a regular file', msg: /ignored/ },
    { level: 40, err: /ENOTDIR/, msg: /unreadable/ },
  ]);
});

/** A cache file of format 3 (the current records, with st_dev where the filesystem's key is now). */
function version3File(entries: Array<{ key: FileStamp; sha256: string; stDev: number }>): Buffer {
  const records = Buffer.alloc(entries.length * RECORD_BYTES);
  entries.forEach(({ key: k, sha256, stDev }, record) => {
    [stDev, k.ino, k.size, k.mtimeMs, k.ctimeMs, T0, T0].forEach((value, slot) => {
      records.writeDoubleLE(value, record * RECORD_BYTES + slot * 8);
    });
    records.write(sha256, record * RECORD_BYTES + 56, 32, 'hex');
  });
  const header = Buffer.alloc(24);
  header.write('B321CSUM', 0, 'latin1');
  header.writeUInt32LE(3, 8);
  header.writeUInt32LE(entries.length, 16);
  const check = Buffer.alloc(4);
  check.writeUInt32LE(crc32(records), 0);
  return Buffer.concat([header, records, check]);
}

t.test('a version-3 file (keyed by st_dev) is re-keyed filesystem by filesystem, as each is met', async (t) => {
  const USB_ST_DEV = 1793;
  const USB = deviceKeyOf('uuid:0b1d-usb');
  const path = join(t.testdir(), CACHE_FILE_NAME);
  writeFileSync(
    path,
    version3File([
      { key: key(1), sha256: A, stDev: ST_DEV },
      { key: key(2), sha256: A, stDev: ST_DEV },
      { key: key(1), sha256: B, stDev: USB_ST_DEV },
    ]),
  );
  const { logger, lines } = capturingLogger();
  const cache = createChecksumCache(await loadCacheFile(path, logger));
  t.same(lines, [], 'read without a warning');
  t.equal(cache.size, 3);
  t.ok(cache.dirty, 'saved again in the current format');
  t.equal(cache.lookup(ST_DEV, key(1), T0), undefined, 'a st_dev is never taken for a key');
  // This run meets the system disk, which has a newer entry of its own for inode 2.
  cache.store(DEV, key(2), B, T0 + 5, T0 + 5);
  t.equal(cache.adoptLegacy(ST_DEV, DEV), 1, 'the entry the filesystem has none of its own for is adopted');
  t.same(cache.lookup(DEV, key(1), T0), { sha256: A, hashedAt: T0 });
  t.same(cache.lookup(DEV, key(2), T0), { sha256: B, hashedAt: T0 + 5 }, "the filesystem's own entry wins");
  t.equal(cache.size, 3, 'and the older one is dropped');
  t.equal(cache.adoptLegacy(ST_DEV, DEV), 0, 'once');
  t.equal(cache.adoptLegacy(4242, DEV), 0, 'a st_dev the file never had: nothing');

  // The USB disk is not attached this run: its entry is saved as it was, under its st_dev.
  await saveCacheFile(path, cache, 0);
  const next = createChecksumCache(await loadCacheFile(path, logger));
  t.notOk(next.dirty);
  t.equal(next.size, 3);
  t.equal(next.lookup(USB, key(1), T0), undefined);
  t.equal(next.adoptLegacy(USB_ST_DEV, USB), 1, 'adopted by the run that meets it');
  t.same(next.lookup(USB, key(1), T0), { sha256: B, hashedAt: T0 });
  t.same(next.lookup(DEV, key(1), T0), { sha256: A, hashedAt: T0 }, 'each filesystem keeps its own');
});

t.test('a legacy record replaced by a later one, or forgotten, is never adopted', async (t) => {
  const cache = createChecksumCache(
    loadedRecords([
      { key: key(1), sha256: A, device: legacyDeviceKey(ST_DEV) },
      { key: key(1, { size: 7 }), sha256: B, device: legacyDeviceKey(ST_DEV) },
      { key: key(2), sha256: A, device: legacyDeviceKey(ST_DEV) },
    ]),
  );
  t.equal(cache.size, 2);
  t.equal(cache.adoptLegacy(ST_DEV, DEV), 2);
  t.equal(cache.lookup(DEV, key(1), T0), undefined, 'the stale record is not brought back');
  t.same(cache.lookup(DEV, key(1, { size: 7 }), T0), { sha256: B, hashedAt: T0 });
  t.equal(cache.liveRecords(0).offsets.length, 2, 'two records are written out');
});
