// The checksum service: sha256 of files from the persistent cache, or hashed by the worker pool.

import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';
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
}

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
  const recordedEarly: Array<{ file: FileIdentity; sha256: string; hashedAt: number }> = [];
  /**
   * Stores a fresh hash; when it differs from the entry for the same size and mtime (whatever the
   * ctime), the bytes changed behind the filesystem's back: that is remembered as a content change
   * (content-changes.ts) and returned, as is one found earlier while the content is still the same.
   * Also while closing (until the save): a --deep run whose files were all hashed by the reading
   * threads may close before the cache file has loaded, and its hashes must still be checked and saved.
   */
  const remember = (file: FileIdentity, sha256: string, hashedAt: number): ContentChangeEntry | undefined => {
    if (released) return undefined;
    const before = cache.previous(file);
    let change: ContentChangeEntry | undefined;
    if (before && before.sha256 !== sha256) {
      // Same size and mtime, other content: bit rot, or a write that set the mtime back.
      logger.warn(
        { path: file.path, was: before.sha256, now: sha256 },
        'content changed although size and mtime did not',
      );
      // Changed again: the evidence stays what the content was before the first change.
      const earlier = changes.get(file);
      const first = earlier?.sha256 === before.sha256 ? earlier : undefined;
      change = {
        dev: file.dev,
        ino: file.ino,
        sha256,
        previousSha256: first?.previousSha256 ?? before.sha256,
        previousHashedAt: first?.previousHashedAt ?? before.hashedAt,
        detectedAt: hashedAt,
        lastSeen: hashedAt,
      };
      changes.set(change);
    } else if (changes.size > 0) change = changes.applying(file, sha256, hashedAt);
    cache.store(file, sha256, hashedAt, hashedAt);
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
    // Hashes recorded while the file loaded, checked and stored now that the cache knows its past.
    for (const early of recordedEarly.splice(0)) remember(early.file, early.sha256, early.hashedAt);
  });
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
  const answerFromCache = (file: FileIdentity, cached: CachedChecksum): KnownChecksum => {
    cacheHits++;
    // Almost always no entry at all: no lookup per file then.
    const change = changes.size === 0 ? undefined : changes.applying(file, cached.sha256, now());
    return knownChecksum(cached.sha256, cached.hashedAt, change);
  };

  return {
    get cacheLoaded() {
      return loaded;
    },

    untilCacheLoaded() {
      return loading;
    },

    cached(file) {
      if (closing || !loaded) return undefined;
      const cached = cache.lookup(file, now());
      return cached && answerFromCache(file, cached);
    },

    async hashFile(file, { deep = false, signal, answer } = {}): Promise<HashOutcome> {
      if (!loaded) await loading;
      if (closing) return { ok: false, reason: 'aborted', message: 'the checksum service was closed' };
      if (signal?.aborted) return { ok: false, reason: 'aborted', message: 'hashing was aborted' };
      if (!deep) {
        const cached = cache.lookup(file, now());
        if (cached) return { ok: true, ...answerFromCache(file, cached), fromCache: true };
      }
      // Taken before the job is sent, so never after the read began: the cache's racily-clean rule
      // compares it with the file's mtime, and a big file's read may last minutes.
      const hashedAt = now();
      const result = await pool.hash(answer ? { ...file, answer } : file, signal);
      if (!result.ok) {
        // A vanished file's entry is dropped here, the one moment it costs nothing to know.
        if (result.reason === 'vanished') {
          cache.forget(file);
          changes.delete(file);
        }
        const errno = result.errno === undefined ? {} : { errno: result.errno };
        return { ok: false, reason: result.reason, message: result.message, ...errno };
      }
      filesHashed++;
      const change = remember(file, result.sha256, hashedAt);
      return { ok: true, ...knownChecksum(result.sha256, hashedAt, change), fromCache: false };
    },

    recordHashed(file, sha256, hashedAtMs) {
      filesHashed++;
      bytesHashedElsewhere += file.size;
      const hashedAt = hashedAtMs ?? now();
      if (!loaded) {
        recordedEarly.push({ file, sha256, hashedAt });
        return knownChecksum(sha256, hashedAt, undefined);
      }
      return knownChecksum(sha256, hashedAt, remember(file, sha256, hashedAt));
    },

    stats() {
      return { filesHashed, bytesHashed: pool.stats().bytesRead + bytesHashedElsewhere, cacheHits };
    },

    poolStats() {
      return pool.stats();
    },

    close() {
      closing ??= (async () => {
        await loading;
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
