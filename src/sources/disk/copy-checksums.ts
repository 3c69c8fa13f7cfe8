// Each copy's checksum, by the cheapest way there is: the digest a reading thread found as it listed
// the file (--deep), the checksum cache's (a warm run), or a hash job on the checksum service's threads.
import { availableParallelism } from 'node:os';
import type { KnownChecksum } from '../../integrity/types.js';
import type { AnswerWatch } from '../../integrity/worker-pool.js';
import type { Copy, SourceIssue } from '../../model.js';
import type { SourceContext } from '../source.js';
import { startDirectoryHash } from './directory-hash.js';
import { createHashQueue, QUEUED_JOBS_HIGH_WATER } from './hash-queue.js';
import type { DiskRereads } from './rereads.js';
import type { TreeSummary } from './walk-types.js';
import type { FileMatch } from './walk-types.js';

export interface CopyChecksums {
  /** A file copy's checksum: a reading thread's digest or the cache's where there is one, else a hash job. */
  ofFile(match: FileMatch, copy: Copy): void;
  /** A directory copy's checksum: a hash job for each file of its tree, and the digest of their manifest. */
  ofDirectory(copy: Copy, tree: TreeSummary): void;
  /** At the walk's pauses: what waited for the cache file, and the hash queue's back-pressure. */
  atPause(): Promise<void>;
  /** After the walk (an aborted one too): the last files that waited for the cache file. */
  lookUpWaiting(): Promise<void>;
  /** Resolves once every hash job has been applied (after an abort, queued ones end at once as 'aborted'). */
  finish(): Promise<void>;
}

/** `rereads` (verify --deep --budget) is told of every copy whose checksum came from the cache. */
export function createCopyChecksums(
  ctx: SourceContext,
  location: string,
  issues: SourceIssue[],
  answer?: AnswerWatch,
  rereads?: DiskRereads,
): CopyChecksums {
  const { checksums } = ctx;
  // Files hashed so far: by the hash queue, and (--deep) by the reading threads as they listed them.
  let queued = { done: 0, total: 0 };
  let hashedWhileListing = 0;
  const hashProgress = (): void =>
    ctx.progress?.({
      location,
      phase: 'hash',
      done: hashedWhileListing + queued.done,
      total: hashedWhileListing + queued.total,
    });
  const hashing = createHashQueue({
    checksums,
    deep: ctx.deep,
    // The pool sends jobs to its threads in batches of up to 64: a few hundred in flight keep every batch full.
    concurrency: Math.max(256, 64 * availableParallelism()),
    now: ctx.now,
    issues,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(answer ? { answer } : {}),
    onDone: (done, total) => {
      queued = { done, total };
      hashProgress();
    },
  });

  /** The checksum service reads the file on one of its threads. */
  const hashNewFile = (match: FileMatch, copy: Copy): void =>
    hashing.push({
      path: match.path,
      dev: match.dev,
      ino: match.ino,
      size: match.size,
      mtimeMs: match.mtimeMs,
      ctimeMs: match.ctimeMs,
      copy,
    });
  /** What the cache says of a file, or (--deep) of the digest a reading thread found for it. */
  const knownChecksum = (match: FileMatch): KnownChecksum | undefined =>
    match.sha256 ? checksums.recordHashed(match, match.sha256, match.hashedAt) : checksums.cached(match);
  const takeChecksum = (match: FileMatch, copy: Copy): void => {
    const checksum = knownChecksum(match);
    if (!checksum) {
      hashNewFile(match, copy);
      return;
    }
    copy.sha256 = checksum.sha256;
    copy.hashedAt = checksum.hashedAt;
    if (checksum.contentChanged) copy.contentChanged = checksum.contentChanged;
    if (rereads && !match.sha256) rereads.file(match, copy);
  };
  // Files met while the cache file was still loading or their filesystem being identified (a warm run's
  // first few thousand, and under --deep the reading threads' digests: only a loaded cache tells changed
  // content), looked up once it is ready.
  const waitingForCache: Array<{ match: FileMatch; copy: Copy }> = [];
  const lookUpWaiting = (): void => {
    for (const { match, copy } of waitingForCache.splice(0)) takeChecksum(match, copy);
  };

  return {
    ofFile(match, copy) {
      // --deep: a reading thread hashed it as it listed it (small files); no job, promise or message.
      if (match.sha256) {
        // Progress is for a human on a TTY: every few hundred files is plenty.
        if (++hashedWhileListing % 256 === 0) hashProgress();
      }
      // --deep, not hashed while listed: the hash threads read it, the cache is not asked.
      else if (ctx.deep) {
        hashNewFile(match, copy);
        return;
      }
      if (checksums.cacheReadyFor(match)) takeChecksum(match, copy);
      else waitingForCache.push({ match, copy });
    },
    ofDirectory(copy, tree) {
      const directory = startDirectoryHash(copy, tree.files.length, tree.incomplete, ctx.now);
      rereads?.directory(copy, tree, directory);
      for (const file of tree.files) hashing.push({ ...file, copy, directory });
    },
    async atPause() {
      // As bounded as the hash queue below: past as many files, the walk waits for the cache file.
      if (waitingForCache.length >= QUEUED_JOBS_HIGH_WATER) await checksums.untilCacheReady();
      if (waitingForCache.length > 0 && checksums.cacheReady) lookUpWaiting();
      // Bounded memory on cold runs: the walk waits while the hash queue is long (warm runs never wait).
      await hashing.untilQueuedAtMost(QUEUED_JOBS_HIGH_WATER);
    },
    async lookUpWaiting() {
      if (waitingForCache.length === 0) return;
      await checksums.untilCacheReady();
      lookUpWaiting();
    },
    finish: () => hashing.finish(),
  };
}
