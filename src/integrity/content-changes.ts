// Content found changed behind an unchanged size and mtime (bit rot, tampering), remembered in the
// state dir until the file's content changes again, so a later cached run still reports it.

/*
 * File: agent.stateDir/content-changes.json, written atomically (temp file, fsync, rename, directory
 * fsync), mode 0600:
 *   { "version": 2, "changes": [ { "device", "ino", "sha256", "previousSha256", "previousHashedAt",
 *     "detectedAt", "lastSeen" } ] }   (times ISO 8601; sha256 is the changed content's)
 * `device` is the key of the file's filesystem, as in the checksum cache (device-key.ts). Version 1
 * had `dev`, the st_dev; its entries are read and keep it (written as `dev`) until a file with that
 * st_dev is met, as the cache's records of older versions do.
 * A side file of its own, not a field of every cache record: such findings are rare, and a million
 * records would each carry 48 bytes for them. Apart from the cache on purpose, too: losing the cache
 * costs a re-hash, while this is evidence. An entry applies to the file (device, ino) while its content
 * still hashes to `sha256`, however that hash was found (cache, hash thread, reading thread); a hash
 * of other content for it ends the entry (the file was written again), and so does a new inode (the
 * entry is then never met again and is pruned like a cache record).
 */

import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { errnoCode, errorMessage } from '../errors.js';
import { writeFileAtomic } from '../state/atomic-file.js';
import { syncDirectory } from './cache-file.js';
import { legacyDeviceKey } from './device-key.js';

export const CONTENT_CHANGES_FILE_NAME = 'content-changes.json';
const FORMAT_VERSION = 2;
/** Version 1 kept st_dev as `dev`. */
const ST_DEV_VERSION = 1;
/** lastSeen is rewritten at most this often, so warm runs do not rewrite the file every time. */
const TOUCH_INTERVAL_MS = 24 * 3600 * 1000;

/** One finding, times in epoch ms. */
export interface ContentChangeEntry {
  /** The filesystem's key (device-key.ts); below zero, an older release's st_dev not met since (legacyDeviceKey). */
  device: number;
  ino: number;
  /** What the content hashes to since the change. */
  sha256: string;
  previousSha256: string;
  previousHashedAt: number;
  detectedAt: number;
  lastSeen: number;
}

export interface ContentChanges {
  /** Entries held: 0 on almost every machine, so a caller skips the lookup altogether. */
  readonly size: number;
  readonly dirty: boolean;
  /** As the checksum cache's: clean from just before a save, dirty again on a failed one. */
  markSaved(): void;
  markUnsaved(): void;
  /** The entry for this file, whatever its content now. */
  get(device: number, ino: number): ContentChangeEntry | undefined;
  /** The entry for this file when its content still hashes to `sha256` (marked seen at `now`); else drops it. */
  applying(device: number, ino: number, sha256: string, now: number): ContentChangeEntry | undefined;
  set(entry: ContentChangeEntry): void;
  delete(device: number, ino: number): void;
  /** The entries an older release kept under this st_dev take the key of the filesystem that has it now. */
  adoptLegacy(stDev: number, device: number): void;
  /** Entries seen since `since`, for saving (the others are pruned). */
  seenSince(since: number): ContentChangeEntry[];
}

export function createContentChanges(loaded: ContentChangeEntry[] = []): ContentChanges {
  const byDevice = new Map<number, Map<number, ContentChangeEntry>>();
  let size = 0;
  let dirty = false;
  const get = (device: number, ino: number) => byDevice.get(device)?.get(ino);
  const put = (entry: ContentChangeEntry): void => {
    let byInode = byDevice.get(entry.device);
    if (!byInode) {
      byInode = new Map();
      byDevice.set(entry.device, byInode);
    }
    if (!byInode.has(entry.ino)) size++;
    byInode.set(entry.ino, entry);
  };
  const remove = (device: number, ino: number): void => {
    if (byDevice.get(device)?.delete(ino)) {
      size--;
      dirty = true;
    }
  };
  for (const entry of loaded) put(entry);
  return {
    get size() {
      return size;
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
    get,
    applying(device, ino, sha256, now) {
      const entry = get(device, ino);
      if (!entry) return undefined;
      if (entry.sha256 !== sha256) {
        remove(device, ino);
        return undefined;
      }
      if (now - entry.lastSeen >= TOUCH_INTERVAL_MS) dirty = true;
      entry.lastSeen = now;
      return entry;
    },
    set(entry) {
      put(entry);
      dirty = true;
    },
    delete: remove,
    adoptLegacy(stDev, device) {
      const legacy = byDevice.get(legacyDeviceKey(stDev));
      if (!legacy) return;
      byDevice.delete(legacyDeviceKey(stDev));
      size -= legacy.size;
      // Where the filesystem already has an entry of its own for the file, that one is newer: it stays.
      for (const entry of legacy.values()) if (!get(device, entry.ino)) put({ ...entry, device });
      dirty = true;
    },
    seenSince(since) {
      const kept: ContentChangeEntry[] = [];
      for (const byInode of byDevice.values())
        for (const entry of byInode.values()) if (entry.lastSeen >= since) kept.push(entry);
      return kept;
    },
  };
}

const SHA256 = /^[0-9a-f]{64}$/;

/** An entry of the file as `version` wrote it, or undefined when any field is not what save wrote. */
function entryFrom(value: unknown, version: number): ContentChangeEntry | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { device, dev, ino, sha256, previousSha256, previousHashedAt, detectedAt, lastSeen } = value as Record<
    string,
    unknown
  >;
  // Version 1 kept st_dev as `dev`; so does version 2 for an entry no run has met since.
  const keyed = version === FORMAT_VERSION && device !== undefined;
  const number = keyed ? device : dev;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) return undefined;
  const time = (text: unknown): number => (typeof text === 'string' ? Date.parse(text) : Number.NaN);
  const entry = {
    device: keyed ? number : legacyDeviceKey(number),
    ino,
    sha256,
    previousSha256,
    previousHashedAt: time(previousHashedAt),
    detectedAt: time(detectedAt),
    lastSeen: time(lastSeen),
  };
  const numbers = [entry.ino, entry.previousHashedAt, entry.detectedAt, entry.lastSeen];
  if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  if (typeof sha256 !== 'string' || typeof previousSha256 !== 'string') return undefined;
  if (!SHA256.test(sha256) || !SHA256.test(previousSha256)) return undefined;
  return entry as ContentChangeEntry;
}

/**
 * The entries of the file; none when it does not exist. A file that cannot be read or parsed is
 * reported as an error: the findings it held are lost (the content is still what it is, and the
 * copies' siblings and recorded checksums still judge it).
 */
export async function loadContentChanges(path: string, logger: Logger): Promise<ContentChangeEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT')
      logger.error(
        { path, err: errorMessage(error) },
        'record of changed content unreadable; earlier findings are lost',
      );
    return [];
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    logger.error({ path, err: errorMessage(error) }, 'record of changed content unreadable; earlier findings are lost');
    return [];
  }
  const { version, changes } = (document ?? {}) as { version?: unknown; changes?: unknown };
  if ((version !== FORMAT_VERSION && version !== ST_DEV_VERSION) || !Array.isArray(changes)) {
    logger.error({ path, version }, 'record of changed content in an unknown format; earlier findings are lost');
    return [];
  }
  const entries: ContentChangeEntry[] = [];
  let bad = 0;
  for (const item of changes) {
    const entry = entryFrom(item, version);
    if (entry) entries.push(entry);
    else bad++;
  }
  if (bad > 0)
    logger.error({ path, bad }, 'entries of the record of changed content unreadable; those findings are lost');
  return entries;
}

/** Written as the cache is: temp file, fsync, rename, then the directory synced so the rename lasts too. */
export async function saveContentChanges(path: string, entries: ContentChangeEntry[]): Promise<void> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const changes = entries.map((entry) => ({
    // legacyDeviceKey() undoes itself: a legacy key back to its st_dev.
    ...(entry.device < 0 ? { dev: legacyDeviceKey(entry.device) } : { device: entry.device }),
    ino: entry.ino,
    sha256: entry.sha256,
    previousSha256: entry.previousSha256,
    previousHashedAt: iso(entry.previousHashedAt),
    detectedAt: iso(entry.detectedAt),
    lastSeen: iso(entry.lastSeen),
  }));
  writeFileAtomic(path, `${JSON.stringify({ version: FORMAT_VERSION, changes }, null, 1)}\n`, 0o600);
  await syncDirectory(dirname(path));
}
