// The checksum service: sha256 of files from the persistent cache, or hashed by the worker pool.

import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';
import { createDeviceIdentities } from '../host/identify-device.js';
import type { ContentChange } from '../model.js';
import { CACHE_FILE_NAME, loadCacheFile, saveCacheFile } from './cache-file.js';
import { type CachedChecksum, createChecksumCache } from './cache-store.js';
import {
  CONTENT_CHANGES_FILE_NAME,
  type ContentChangeEntry,
  createContentChanges,
  loadContentChanges,
  saveContentChanges,
} from './content-changes.js';
import { deviceKeyOf, stDevIdentity } from './device-key.js';
import { createIsoTime } from './iso-time.js';
import type { ChecksumService, FileIdentity, HashOutcome, KnownChecksum } from './types.js';
import { createHashPool, type HashPoolStats } from './worker-pool.js';

/** Read size per worker: larger reads were slower, smaller ones no faster, and 1 MiB keeps each worker small. */
export const DEFAULT_READ_BUFFER_BYTES = 1024 * 1024;
/** Entries not seen by any run for this long are dropped on save: their files are most likely gone. */
export const DEFAULT_PRUNE_AFTER_MS = 180 * 24 * 3600 * 1000;

export interface ChecksumServiceOptions {
  /** Where the cache file lives; created (mode 0700) when missing. */
  stateDir: string;
  /** Hash threads; undefined or 0: os.availableParallelism(). */
  workers?: number;
  logger: Logger;
  /** Read buffer per worker in bytes (for measurements). */
  bufferSize?: number;
  pruneAfterMs?: number;
  /** The clock, for tests of hashedAt and pruning. */
  now?: () => number;
  /**
   * Return before the cache file is loaded (verify() walks meanwhile): until it is, cached() knows
   * nothing and hashFile() waits for it, so no file is hashed that the cache knows.
   */
  loadInBackground?: boolean;
  /**
   * Another process holds the state dir (state/state-lock.ts): the cache and the record of changed
   * content are read and used, and never written.
   */
  readOnly?: boolean;
  /** A changed cache is saved this often during a run, so a crash loses at most this much hashing; 0: only at close. */
  saveEveryMs?: number;
  /** Asked before each save: false once the state dir's lock is no longer ours (nothing is written then). */
  mayWrite?: () => Promise<boolean>;
  /**
   * The identity of the filesystem with st_dev `dev` (`path`: a file on it), which the cache keys its
   * files by; undefined when it has none that outlives a reboot (then its st_dev stands for it).
   * Default: the machine's (host/identify-device.ts). Asked once per st_dev.
   */
  identifyDevice?: (dev: number, path: string) => Promise<string | undefined>;
}

const CLOSED: HashOutcome = { ok: false, reason: 'aborted', message: 'the checksum service was closed' };

/** A cold run over a large share hashes for hours: this much of it at most is lost to a crash. */
export const DEFAULT_SAVE_EVERY_MS = 2 * 60_000;

/**
 * How many threads hash: the configured `hashWorkers`, or one per core. 0 means "not set" too: a
 * resolved config has carried hashWorkers 0 when the file had none, and `0 ?? cores` once gave every
 * verify a single hash thread (the bench's many-files case found it).
 */
export function hashThreadCount(configured: number | undefined): number {
  return configured !== undefined && configured > 0 ? configured : availableParallelism();
}

/** The service plus the pool's own counters, for tests and the benchmark. */
export interface PooledChecksumService extends ChecksumService {
  poolStats(): HashPoolStats;
}

export async function createChecksumService(options: ChecksumServiceOptions): Promise<PooledChecksumService> {
  const { stateDir } = options;
  const logger = options.logger.child({ component: 'checksums' });
  const now = options.now ?? Date.now;
  const pruneAfterMs = options.pruneAfterMs ?? DEFAULT_PRUNE_AFTER_MS;
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const cachePath = join(stateDir, CACHE_FILE_NAME);
  const changesPath = join(stateDir, CONTENT_CHANGES_FILE_NAME);
  let closing: Promise<void> | undefined;
  /** Set once close() has saved the cache and let its records go: nothing is stored after that. */
  let released = false;
  // Empty until the file is loaded: cached() knows nothing before, hashFile() waits for it.
  let cache = createChecksumCache();
  let changes = createContentChanges();
  let loaded = false;
  /**
   * Stores a fresh hash; when it differs from the entry for the same size and mtime (whatever the
   * ctime), the bytes changed behind the filesystem's back: that is remembered as a content change
   * (content-changes.ts) and returned, as is one found earlier while the content is still the same.
   * Also while closing (until the save): a --deep run whose files were all hashed by the reading
   * threads may close before the cache file has loaded, and its hashes must still be checked and saved.
   */
  const remember = (
    device: number,
    file: FileIdentity,
    sha256: string,
    hashedAt: number,
  ): ContentChangeEntry | undefined => {
    if (released) return undefined;
    const before = cache.previous(device, file);
    let change: ContentChangeEntry | undefined;
    if (before && before.sha256 !== sha256) {
      // Same size and mtime, other content: bit rot, or a write that set the mtime back.
      logger.warn(
        { path: file.path, was: before.sha256, now: sha256 },
        'content changed although size and mtime did not',
      );
      // Changed again: the evidence stays what the content was before the first change.
      const earlier = changes.get(device, file.ino);
      const first = earlier?.sha256 === before.sha256 ? earlier : undefined;
      change = {
        device,
        ino: file.ino,
        sha256,
        previousSha256: first?.previousSha256 ?? before.sha256,
        previousHashedAt: first?.previousHashedAt ?? before.hashedAt,
        detectedAt: hashedAt,
        lastSeen: hashedAt,
      };
      changes.set(change);
    } else if (changes.size > 0) change = changes.applying(device, file.ino, sha256, hashedAt);
    cache.store(device, file, sha256, hashedAt, hashedAt);
    return change;
  };
  const loading = Promise.all([
    loadCacheFile(cachePath, logger).catch((error: unknown) => {
      logger.warn(
        { path: cachePath, err: errorMessage(error) },
        'checksum cache unreadable; every file will be hashed again',
      );
      return undefined;
    }),
    loadContentChanges(changesPath, logger),
  ]).then(([records, changed]) => {
    // Loaded even when close() was called meanwhile: hashes recorded early are checked against it,
    // and a cache nobody changed is not saved again (the file stays as it was).
    if (records) cache = createChecksumCache(records);
    changes = createContentChanges(changed);
    loaded = true;
  });

  /*
   * Each file is looked up under its filesystem's key (device-key.ts), not its st_dev: the key of a
   * st_dev is worked out once, when the first file with it is met, while the cache file loads.
   */
  const identifyDevice =
    options.identifyDevice ?? createDeviceIdentities({ logger: logger.child({ component: 'host' }) }).identify;
  /** st_dev → key, for the filesystems identified once the cache had loaded. */
  const deviceKeys = new Map<number, number>();
  const identifying = new Map<number, Promise<number>>();
  /** key → the st_dev it was given to this run. */
  const keyOwners = new Map<number, number>();
  /** Hashes recorded (recordHashed) before their filesystem was identified, by st_dev. */
  const recordedEarly = new Map<number, Array<{ file: FileIdentity; sha256: string; hashedAt: number }>>();
  // The last st_dev asked about: a walk meets thousands of files of one filesystem in a row.
  let lastDev = Number.NaN;
  let lastKey = 0;
  const deviceKey = (dev: number): number | undefined => {
    if (dev === lastDev) return lastKey;
    const key = deviceKeys.get(dev);
    if (key !== undefined) {
      lastDev = dev;
      lastKey = key;
    }
    return key;
  };
  const identify = (file: FileIdentity): Promise<number> => {
    let key = identifying.get(file.dev);
    if (!key) {
      const { dev } = file;
      key = Promise.all([
        loading,
        identifyDevice(dev, file.path).catch((error: unknown) => {
          logger.warn({ dev, err: errorMessage(error) }, 'cannot identify a filesystem; its files are keyed by st_dev');
          return undefined;
        }),
      ]).then(([, identity]) => {
        let device = deviceKeyOf(identity ?? stDevIdentity(dev));
        if (keyOwners.has(device)) {
          // Two filesystems of one identity mounted at once: a block-level copy (dd, an LVM snapshot) of
          // another one, whose inode numbers are the same but whose bytes may differ. Never mixed up.
          logger.info(
            { dev, identity },
            'a second filesystem with the same identity: its files are keyed by st_dev too',
          );
          device = deviceKeyOf(`${identity} ${stDevIdentity(dev)}`);
        }
        keyOwners.set(device, dev);
        if (!released) {
          // What an older release cached under this st_dev is this filesystem's now (docs/disk-locations.md).
          const adopted = cache.adoptLegacy(dev, device);
          changes.adoptLegacy(dev, device);
          if (adopted > 0) logger.debug({ dev, identity, adopted }, 'cache entries of an older release re-keyed');
        }
        for (const early of recordedEarly.get(dev) ?? []) remember(device, early.file, early.sha256, early.hashedAt);
        recordedEarly.delete(dev);
        deviceKeys.set(dev, device);
        return device;
      });
      identifying.set(dev, key);
    }
    return key;
  };
  /** Without waiting: a failure (a bug, not a host that cannot tell) surfaces where it is awaited, in close(). */
  const startIdentifying = (file: FileIdentity): void => {
    identify(file).catch(() => undefined);
  };
  /** Until the cache file has loaded and every filesystem asked about so far is identified. */
  const untilCacheReady = async (): Promise<void> => {
    await loading;
    for (let asked = 0; asked !== identifying.size; ) {
      asked = identifying.size;
      await Promise.all(identifying.values());
    }
  };
  if (!options.loadInBackground) await loading;
  const pool = createHashPool({
    workers: hashThreadCount(options.workers),
    bufferSize: options.bufferSize ?? DEFAULT_READ_BUFFER_BYTES,
  });
  let filesHashed = 0;
  /** Bytes that reading threads hashed (recordHashed); the pool counts its own. */
  let bytesHashedElsewhere = 0;
  let cacheHits = 0;
  const isoTime = createIsoTime();
  let saving: Promise<void> = Promise.resolve();
  /** Writes what changed since the last save; saves run one after another, never two at once. */
  const save = (reason: 'progress' | 'close'): Promise<void> => {
    saving = saving.then(() => saveChanged(reason));
    return saving;
  };
  const saveChanged = async (reason: 'progress' | 'close'): Promise<void> => {
    if (options.readOnly || released || !loaded || (!changes.dirty && !cache.dirty)) return;
    if (options.mayWrite && !(await options.mayWrite())) {
      logger.error(
        { path: cachePath },
        'the state dir was taken over by another process: the checksum cache is not saved',
      );
      return;
    }
    if (changes.dirty) {
      changes.markSaved();
      try {
        await saveContentChanges(changesPath, changes.seenSince(now() - pruneAfterMs));
      } catch (error) {
        changes.markUnsaved();
        // The verdicts of this run stand; the next one can only find the change again by a --deep read.
        logger.error({ path: changesPath, err: errorMessage(error) }, 'record of changed content could not be saved');
      }
    }
    if (cache.dirty) {
      cache.markSaved();
      try {
        const { written, pruned } = await saveCacheFile(cachePath, cache, now() - pruneAfterMs);
        logger.debug({ path: cachePath, entries: written, pruned, reason }, 'checksum cache saved');
      } catch (error) {
        cache.markUnsaved();
        // Not fatal: the verdicts of this run stand; the next run re-hashes what was lost.
        logger.error({ path: cachePath, err: errorMessage(error) }, 'checksum cache could not be saved');
      }
    }
  };
  const saveEveryMs = options.saveEveryMs ?? DEFAULT_SAVE_EVERY_MS;
  const progressSaves =
    options.readOnly || saveEveryMs <= 0
      ? undefined
      : setInterval(() => {
          if (!closing) void save('progress');
        }, saveEveryMs);
  progressSaves?.unref();
  /** The answer for a hash, with the content change that applies to it, if any. */
  const knownChecksum = (sha256: string, hashedAt: number, change: ContentChangeEntry | undefined): KnownChecksum =>
    change
      ? { sha256, hashedAt: isoTime(hashedAt), contentChanged: contentChangeOf(change) }
      : { sha256, hashedAt: isoTime(hashedAt) };
  /** A cache hit as both cached() and hashFile() answer it, counted once. */
  const answerFromCache = (device: number, file: FileIdentity, cached: CachedChecksum): KnownChecksum => {
    cacheHits++;
    // Almost always no entry at all: no lookup per file then.
    const change = changes.size === 0 ? undefined : changes.applying(device, file.ino, cached.sha256, now());
    return knownChecksum(cached.sha256, cached.hashedAt, change);
  };

  return {
    get cacheReady() {
      return loaded && deviceKeys.size === identifying.size;
    },

    cacheReadyFor(file) {
      if (deviceKey(file.dev) !== undefined) return true;
      startIdentifying(file);
      return false;
    },

    untilCacheReady,

    cached(file) {
      if (closing) return undefined;
      const device = deviceKey(file.dev);
      if (device === undefined) {
        startIdentifying(file);
        return undefined;
      }
      const cached = cache.lookup(device, file, now());
      return cached && answerFromCache(device, file, cached);
    },

    async hashFile(file, { deep = false, signal, answer } = {}): Promise<HashOutcome> {
      if (closing) return CLOSED;
      const device = deviceKey(file.dev) ?? (await identify(file));
      if (closing) return CLOSED;
      if (signal?.aborted) return { ok: false, reason: 'aborted', message: 'hashing was aborted' };
      if (!deep) {
        const cached = cache.lookup(device, file, now());
        if (cached) return { ok: true, ...answerFromCache(device, file, cached), fromCache: true };
      }
      // Taken before the job is sent, so never after the read began: the cache's racily-clean rule
      // compares it with the file's mtime, and a big file's read may last minutes.
      const hashedAt = now();
      const result = await pool.hash(answer ? { ...file, answer } : file, signal);
      if (!result.ok) {
        // A vanished file's entry is dropped here, the one moment it costs nothing to know.
        if (result.reason === 'vanished') {
          cache.forget(device, file);
          changes.delete(device, file.ino);
        }
        const errno = result.errno === undefined ? {} : { errno: result.errno };
        return { ok: false, reason: result.reason, message: result.message, ...errno };
      }
      filesHashed++;
      const change = remember(device, file, result.sha256, hashedAt);
      return { ok: true, ...knownChecksum(result.sha256, hashedAt, change), fromCache: false };
    },

    recordHashed(file, sha256, hashedAtMs) {
      filesHashed++;
      bytesHashedElsewhere += file.size;
      const hashedAt = hashedAtMs ?? now();
      const device = deviceKey(file.dev);
      if (device === undefined) {
        // Checked and stored once the cache has loaded and the filesystem is identified (close() waits for it).
        const early = recordedEarly.get(file.dev);
        if (early) early.push({ file, sha256, hashedAt });
        else recordedEarly.set(file.dev, [{ file, sha256, hashedAt }]);
        startIdentifying(file);
        return knownChecksum(sha256, hashedAt, undefined);
      }
      return knownChecksum(sha256, hashedAt, remember(device, file, sha256, hashedAt));
    },

    stats() {
      return { filesHashed, bytesHashed: pool.stats().bytesRead + bytesHashedElsewhere, cacheHits };
    },

    poolStats() {
      return pool.stats();
    },

    close() {
      closing ??= (async () => {
        await untilCacheReady();
        await pool.close();
        clearInterval(progressSaves);
        await save('close');
        // Closed means no lookups any more: let the records go now,
        // before the caller evaluates and reports, rather than when the service object is dropped.
        released = true;
        cache.release();
        cache = createChecksumCache();
        changes = createContentChanges();
      })();
      return closing;
    },
  };
}

function contentChangeOf(change: ContentChangeEntry): ContentChange {
  return {
    previousSha256: change.previousSha256,
    previousHashedAt: new Date(change.previousHashedAt).toISOString(),
    detectedAt: new Date(change.detectedAt).toISOString(),
  };
}
