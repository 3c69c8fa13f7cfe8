// The disk source: finds each dataset's copies in a directory tree, read-only, and hashes them.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { hasParentSegment } from '../../config/pattern-escape.js';
import type { DatasetPatterns, DiskLocationConfig } from '../../config/types.js';
import { errnoCode, errorMessage } from '../../errors.js';
import type { PathMedium } from '../../host/types.js';
import { createIsoTime } from '../../integrity/iso-time.js';
import type { KnownChecksum } from '../../integrity/types.js';
import { sourceIssue } from '../../issues.js';
import type { Copy, LocationStatus, RestorePath, SourceIssue, SourceResult } from '../../model.js';
import { readFailureCode } from '../common/read-failure.js';
import { type Source, type SourceContext, sourceState } from '../source.js';
import { createElsewhere } from './elsewhere.js';
import { createHashQueue, startDirectoryHash } from './hash.js';
import { compilePattern } from './patterns.js';
import { createRecordedLookup } from './recorded.js';
import { summariseTree } from './tree.js';
import { ENTRIES_PER_PAUSE, walkPattern } from './walk.js';
import type { DirectoryMatch, FileMatch, WalkContext } from './walk-types.js';

/** Hash jobs the walk may run ahead of the hashing: a few batches' worth keeps every worker busy. */
const QUEUED_JOBS_HIGH_WATER = 8192;
/**
 * --deep with reading threads: they hash files up to 1 MiB as they list them, up to 64 MiB per
 * directory job (≈ 40 ms of a thread). Above 1 MiB a file's own job and message cost under 1 % of
 * its hashing, and the hash pool spreads big files over its threads byte by byte.
 */
const HASH_WHILE_LISTING = { below: 1024 * 1024, budget: 64 * 1024 * 1024 } as const;

export function createDiskSource(location: DiskLocationConfig): Source {
  return { id: location.id, type: 'disk', inventory: (ctx) => inventoryDisk(location, ctx) };
}

/** The location's st_dev, or why the location as a whole cannot be read (an error issue). */
function checkRoot(path: string): { dev: number } | { problem: SourceIssue } {
  const place = { severity: 'error', path } as const;
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats) return { problem: sourceIssue('B321_LOCATION_MISSING', { path }, place) };
    if (!stats.isDirectory()) return { problem: sourceIssue('B321_NOT_A_DIRECTORY', { path }, place) };
    return { dev: stats.dev };
  } catch (error) {
    const errno = errnoCode(error);
    // A file where a directory of the path should be: there is no such directory.
    if (errno === 'ENOTDIR') return { problem: sourceIssue('B321_LOCATION_MISSING', { path }, place) };
    const params = { target: 'target.location', path, detail: errorMessage(error) } as const;
    return { problem: sourceIssue(readFailureCode(errno) ?? 'B321_READ_ERROR', params, place) };
  }
}

async function mediumOf(path: string, ctx: SourceContext, issues: SourceIssue[]): Promise<PathMedium> {
  try {
    return await ctx.host.resolve(path);
  } catch (error) {
    // Without the host's answer the copies are still there; the directory's own st_dev is a safe failure domain.
    issues.push(sourceIssue('B321_HOST_MEDIA', { path, detail: errorMessage(error) }, { severity: 'warning', path }));
    const dev = statSync(path, { throwIfNoEntry: false })?.dev;
    return {
      medium: 'disk',
      device: `dev:${dev ?? path}`,
      mount: '',
      fsType: '',
      source: '',
      removable: false,
      network: false,
    };
  }
}

function restorePathOf(location: DiskLocationConfig): RestorePath {
  const restore: RestorePath = { retrievalMs: location.retrievalMs };
  if (location.throughputBytesPerSec !== undefined) {
    restore.throughputBytesPerSec = location.throughputBytesPerSec;
    restore.throughputSource = 'configured';
  }
  return restore;
}

/**
 * The host's answer, on every copy. A function of its own: V8 compiles this loop while it runs, and
 * inside inventoryDisk that compiled all of inventoryDisk for it, then deoptimised right after the
 * loop. Indexed: in unoptimised code a for-of allocated an iterator result per copy.
 */
function setMedium(copies: Copy[], medium: Copy['medium'], device: string): void {
  for (let i = 0; i < copies.length; i++) {
    const copy = copies[i] as Copy;
    copy.medium = medium;
    copy.device = device;
  }
}

/** Keyed as the walk's directory jobs ask (WalkContext.matchedBefore): the path before the file's name. */
function rememberMatch(byDirectory: Map<string, string[]>, match: FileMatch): void {
  const directory = match.path.slice(0, match.path.length - match.name.length - 1) || '/';
  const names = byDirectory.get(directory);
  if (names) names.push(match.name);
  else byDirectory.set(directory, [match.name]);
}

async function inventoryDisk(location: DiskLocationConfig, ctx: SourceContext): Promise<SourceResult> {
  const started = performance.now();
  const root = location.path.length > 1 ? location.path.replace(/\/+$/, '') : location.path;
  const issues: SourceIssue[] = [];
  const copies: Copy[] = [];
  const status: LocationStatus = {
    id: location.id,
    type: 'disk',
    status: 'ok',
    copies: 0,
    issues,
    facts: { path: root },
    durationMs: 0,
  };
  const finish = (): SourceResult => {
    status.status = sourceState(issues);
    status.copies = copies.length;
    status.durationMs = Math.round(performance.now() - started);
    return { copies, status };
  };

  const rootFacts = checkRoot(root);
  if ('problem' in rootFacts) {
    issues.push(rootFacts.problem);
    return finish();
  }
  // Copies on another filesystem than the location's (a symlink out of it, a mount inside it), by st_dev.
  const elsewhere = createElsewhere(rootFacts.dev);
  // Asked now, answered while the walk runs (the host probe may start a process): every copy gets
  // the answer once both are done.
  const hostIssues: SourceIssue[] = [];
  const hostAnswer = mediumOf(root, ctx, hostIssues);
  // Placeholders until the host has answered (below); config values stand as they are.
  const medium = location.medium ?? 'disk';
  const device = location.device ?? '';
  // One object for every copy of the location: a million copies share it.
  const restore = restorePathOf(location);
  const recordedFor = createRecordedLookup(issues);
  // Files hashed so far: by the hash queue, and (--deep) by the reading threads as they listed them.
  let queued = { done: 0, total: 0 };
  let hashedWhileListing = 0;
  const hashProgress = (): void =>
    ctx.progress?.({
      location: location.id,
      phase: 'hash',
      done: hashedWhileListing + queued.done,
      total: hashedWhileListing + queued.total,
    });
  const hashing = createHashQueue({
    checksums: ctx.checksums,
    deep: ctx.deep,
    // The pool sends jobs to workers in batches of up to 64: a few hundred in flight keep every batch full
    // (4 in flight measured 2.0–3.1 s for 20,000 small files, 256 in flight 1.5–2.1 s).
    concurrency: Math.max(256, 64 * availableParallelism()),
    now: ctx.now,
    issues,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    onDone: (done, total) => {
      queued = { done, total };
      hashProgress();
    },
  });
  /** A file's checksum where it is known (cache, or hashed while listed); otherwise a job for the hash queue. */
  const settle = (match: FileMatch, copy: Copy, known: KnownChecksum | undefined): void => {
    if (known) {
      copy.sha256 = known.sha256;
      copy.hashedAt = known.hashedAt;
      if (known.contentChanged) copy.contentChanged = known.contentChanged;
    } else
      hashing.push({
        path: match.path,
        dev: match.dev,
        ino: match.ino,
        size: match.size,
        mtimeMs: match.mtimeMs,
        ctimeMs: match.ctimeMs,
        copy,
      });
  };
  /** What the cache says of a file, or (--deep) of the digest a reading thread found for it. */
  const knownNow = (match: FileMatch): KnownChecksum | undefined =>
    match.sha256 ? ctx.checksums.recordHashed(match, match.sha256, match.hashedAt) : ctx.checksums.cached(match);
  /**
   * Files met while the cache file was still loading (a warm run's first few thousand): looked up
   * once it has loaded, at the walk's next pause or its end. Sent through the hash queue instead,
   * each cost a job, two promises and a wait for the load, and compiled the queue's loop for it.
   * Under --deep also the digests of the reading threads: only a loaded cache tells changed content.
   */
  const beforeCache: Array<{ match: FileMatch; copy: Copy }> = [];
  const lookUpEarly = (): void => {
    for (const { match, copy } of beforeCache.splice(0)) settle(match, copy, knownNow(match));
  };
  let listed = 0;
  // Files written by one job share their mtime's millisecond more often than not: share the text too.
  const isoTime = createIsoTime();
  const walk: WalkContext = {
    root,
    dataset: '',
    followSymlinks: location.followSymlinks,
    issues,
    budget: ENTRIES_PER_PAUSE,
    ...(ctx.walkers ? { walkers: ctx.walkers } : {}),
    ...(ctx.deep ? { hashWhileListing: HASH_WHILE_LISTING } : {}),
    // Set per dataset below; present from the start (a property deleted later would slow every access).
    matchedBefore: undefined,
    reported: new Set(),
    refused: 0,
    listed: () => {
      listed += 1;
      ctx.progress?.({ location: location.id, phase: 'walk', done: listed });
    },
    pause: async () => {
      await yieldToEventLoop();
      // As bounded as the hash queue below: past as many files, the walk waits for the cache file.
      if (beforeCache.length >= QUEUED_JOBS_HIGH_WATER) await ctx.checksums.untilCacheLoaded();
      if (beforeCache.length > 0 && ctx.checksums.cacheLoaded) lookUpEarly();
      // Bounded memory on cold runs: the walk waits while the hash queue is long (warm runs never wait).
      await hashing.room(QUEUED_JOBS_HIGH_WATER);
      if (ctx.signal?.aborted) throw ctx.signal.reason ?? new Error('aborted');
    },
  };
  // Shared by every id of the location: one concatenation per copy, not two.
  const idPrefix = `${location.id}:`;
  const newCopy = (dataset: DatasetPatterns, path: string, name: string, kind: Copy['kind']): Copy => ({
    id: idPrefix + path,
    dataset: dataset.dataset,
    location: location.id,
    locationType: 'disk',
    path,
    name,
    kind,
    role: dataset.role,
    bytes: 0,
    modifiedAt: '',
    medium,
    device,
    offline: false,
    restore,
  });

  // --deep: the reading threads hash as they list; an abort must stop that at once, not at the walk's
  // next pause (a thread may hold a dozen directories of small files still to hash).
  const stopHashing = (): void => ctx.walkers?.stopHashing();
  if (ctx.deep) {
    if (ctx.signal?.aborted) stopHashing();
    ctx.signal?.addEventListener('abort', stopHashing, { once: true });
  }
  try {
    for (const dataset of ctx.datasets) {
      walk.dataset = dataset.dataset;
      walk.reported = new Set();
      // Overlapping patterns of one dataset must not count a file twice; one pattern cannot repeat.
      const seen = dataset.patterns.length > 1 ? new Set<string>() : undefined;
      // --deep: nor hash it twice (the reading threads hash what they list, before `seen` is asked).
      const matchedByDirectory = seen && walk.hashWhileListing ? new Map<string, string[]>() : undefined;
      walk.matchedBefore = matchedByDirectory ? (directory) => matchedByDirectory.get(directory) : undefined;
      for (const pattern of dataset.patterns) {
        // The config check refuses these; a config built otherwise must not read outside the location either.
        if (hasParentSegment(pattern)) {
          const place = { severity: 'error', dataset: dataset.dataset, path: root } as const;
          issues.push(sourceIssue('B321_BAD_PATTERN', { pattern, root }, place));
          continue;
        }
        const directories: DirectoryMatch[] = [];
        const issuesBefore = issues.length;
        const refusedBefore = walk.refused ?? 0;
        let matched = 0;
        await walkPattern(walk, compilePattern(pattern), (match) => {
          matched += 1;
          if (seen?.has(match.path)) return;
          seen?.add(match.path);
          if (match.kind === 'directory') {
            directories.push(match);
            return;
          }
          if (matchedByDirectory) rememberMatch(matchedByDirectory, match);
          // Built right here, so the walk keeps nothing per file but the copy and its hash job.
          const copy = newCopy(dataset, match.path, match.name, 'file');
          copy.bytes = match.size;
          copy.modifiedAt = isoTime(match.mtimeMs);
          const recorded =
            match.sidecars.length + match.manifests.length > 0 ? recordedFor(match, dataset.dataset) : undefined;
          if (recorded) copy.recorded = recorded;
          copies.push(copy);
          if (match.dev !== elsewhere.dev) elsewhere.add(match.dev, match.path, copy);
          // --deep: a reading thread hashed it as it listed it (small files); no job, promise or message.
          if (match.sha256) {
            // Progress is for a human on a TTY: every few hundred files is plenty.
            if (++hashedWhileListing % 256 === 0) hashProgress();
          }
          // --deep, not hashed while listed: the hash threads read it, the cache is not asked.
          else if (ctx.deep) {
            settle(match, copy, undefined);
            return;
          }
          // A warm run's usual case (and a reading thread's digest), settled here: no job, no promise.
          if (!ctx.checksums.cacheLoaded) {
            beforeCache.push({ match, copy });
            return;
          }
          settle(match, copy, knownNow(match));
        });
        // "Matches nothing" would mislead when the walk could not look (that is already an error), or
        // matched only what is no copy (a FIFO, a link not followed: that has its own warning).
        const couldNotLook = issues.slice(issuesBefore).some((found) => found.severity === 'error');
        if (matched === 0 && !couldNotLook && walk.refused === refusedBefore) {
          const params = { pattern, where: 'where.directory', root } as const;
          issues.push(
            sourceIssue('B321_NO_MATCH', params, { severity: 'warning', dataset: dataset.dataset, path: root }),
          );
        }
        for (const match of directories) {
          const copy = newCopy(dataset, match.path, match.name, 'directory');
          if (match.dev !== elsewhere.dev) elsewhere.add(match.dev, match.path, copy);
          const tree = await summariseTree(walk, match);
          copy.bytes = tree.bytes;
          copy.modifiedAt = new Date(tree.newestMtimeMs).toISOString();
          const directory = startDirectoryHash(copy, tree.files.length, tree.incomplete, ctx.now);
          for (const file of tree.files) hashing.push({ ...file, copy, directory });
          copies.push(copy);
        }
      }
    }
  } catch (error) {
    // Only an abort gets here: every filesystem failure above is already an issue.
    issues.push(sourceIssue('B321_ABORTED', { root, detail: errorMessage(error) }, { severity: 'error', path: root }));
  } finally {
    ctx.signal?.removeEventListener('abort', stopHashing);
  }
  // Also after an abort: the hash queue then ends these at once as 'aborted'.
  if (beforeCache.length > 0) {
    await ctx.checksums.untilCacheLoaded();
    lookUpEarly();
  }
  const host = await hostAnswer;
  issues.push(...hostIssues);
  const { mount, fsType, medium: hostMedium, device: hostDevice, source, removable, network } = host;
  Object.assign(status.facts, { mount, fsType, medium: hostMedium, device: hostDevice, source, removable, network });
  if (!location.medium || !location.device)
    setMedium(copies, location.medium ?? hostMedium, location.device ?? hostDevice);
  // After the location's answer (and its overrides): a copy on another filesystem gets that one's.
  await elsewhere.resolve(host, (path) => mediumOf(path, ctx, issues), issues);
  // Always drained, also after an abort: queued jobs then end at once as 'aborted'.
  await hashing.finish();
  if (ctx.signal?.aborted && !issues.some((found) => found.code === 'B321_ABORTED')) {
    const detail = errorMessage(ctx.signal.reason ?? 'aborted');
    issues.push(sourceIssue('B321_ABORTED', { root, detail }, { severity: 'error', path: root }));
  }
  return finish();
}
