// The checksum service's interface: streaming sha256 off the main thread, with a persistent cache.

import type { ContentChange } from '../model.js';
import type { AnswerWatch } from './worker-pool.js';

/** The identity of a file's content as far as the cache is concerned. */
export interface FileIdentity {
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

/**
 * A file's sha256 and when it was hashed; `contentChanged` when the bytes changed although size and
 * mtime did not (found by this read or an earlier one, and the content is still the changed one).
 */
export interface KnownChecksum {
  sha256: string;
  hashedAt: string;
  contentChanged?: ContentChange;
}

export type HashOutcome =
  | ({ ok: true; fromCache: boolean } & KnownChecksum)
  | {
      ok: false;
      reason: 'changed-while-hashing' | 'unreadable' | 'vanished' | 'aborted';
      message: string;
      /** The system error's code when a read failed (EACCES, EIO …). */
      errno?: string;
    };

export interface ChecksumService {
  /**
   * The cached sha256 of a file whose identity still matches, at once; undefined when the cache does
   * not know it (then hashFile reads it). Lets a warm run skip a promise and a queued job per file.
   */
  cached(file: FileIdentity): KnownChecksum | undefined;
  /**
   * True when cached() and recordHashed() can answer for this file now: the cache file has loaded
   * (the service may return before, to let a walk start) and the file's filesystem is identified (the
   * cache keys files by it, not by st_dev; once per st_dev). When not, starts what is missing.
   */
  cacheReadyFor(file: FileIdentity): boolean;
  /** cacheReadyFor() of every file asked about so far. */
  readonly cacheReady: boolean;
  /**
   * Resolves once the cache file is loaded (or found unreadable: then it is empty) and every
   * filesystem asked about so far is identified.
   */
  untilCacheReady(): Promise<void>;
  /**
   * A sha256 hashed elsewhere (a reading thread of the disk walk, under --deep), taken as if this
   * service had hashed it: counted, checked against the cache and stored there. `hashedAtMs`: when
   * the read began, or earlier (default: now). Before the cache is ready for the file, the answer
   * cannot tell of changed content: call it once cacheReadyFor(file) is true.
   */
  recordHashed(file: FileIdentity, sha256: string, hashedAtMs?: number): KnownChecksum;
  /** sha256 of a file; from the cache when identity matches and `deep` is off. */
  hashFile(
    file: FileIdentity,
    options?: { deep?: boolean; signal?: AbortSignal; answer?: AnswerWatch },
  ): Promise<HashOutcome>;
  /** Counters for the report, the bench and the "no file re-read" proof. */
  stats(): { filesHashed: number; bytesHashed: number; cacheHits: number };
  /** Persist the cache (atomically) and stop the workers. */
  close(): Promise<void>;
}
