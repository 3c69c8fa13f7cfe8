// The first stage of a run: read the locations (all a run's datasets use, or only some of them) and the
// drill log, holding the state dir, and hand back each location's result. The agent keeps these
// results and re-reads only the location that changed.
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import type { Config, DatasetConfig } from '../config/types.js';
import { readDrillLog } from '../drills/log.js';
import { readLogText } from '../sources/common/log-text.js';
import { DEFAULT_READ_TIMEOUT_MS } from '../config/resolve.js';
import { errorMessage } from '../errors.js';
import { createHostMedia } from '../host/index.js';
import { useSpawner } from '../host/spawner.js';
import { createChecksumService, hashThreadCount, type PooledChecksumService } from '../integrity/service.js';
import { sourceIssue } from '../issues.js';
import type { DrillLog, LocationStatus, SourceResult } from '../model.js';
import { createSource } from '../sources/index.js';
import type { SourceContext } from '../sources/source.js';
import { hashingWalkPool, walkPoolFor } from '../sources/disk/walk-pool.js';
import type { StateLock } from '../state/state-lock.js';
import { throwIfAborted } from './abort.js';
import { confirmEtagMd5 } from './etag-md5.js';
import { openMd5Store } from './md5-store.js';
import { createScrub, type ScrubFacts } from './scrub.js';
import { type LocationWork, locationsToRead } from './select.js';
import { openStateDir, type StateAccess } from './state-access.js';
import { fillMeasuredThroughput } from './throughput.js';

export interface InventoryOptions {
  config: Config;
  logger: Logger;
  /** The datasets whose copies are read (their patterns at each location). */
  datasets: DatasetConfig[];
  /** Only these locations (by id); all the datasets use when absent. */
  locations?: string[];
  deep?: boolean;
  /**
   * With `deep`: read quickly (the cache, remembered reads), then read again, across all the locations,
   * the copies confirmed longest ago up to this many bytes (scrub.ts); without it --deep reads everything.
   */
  budgetBytes?: number | undefined;
  /** The run's clock reading: every source and the policy judge by it. */
  startedAt: Date;
  progress?: SourceContext['progress'];
  signal?: AbortSignal | undefined;
  /**
   * How long to wait for the state dir when another process holds it (default 30 s); past it the run
   * goes on with the checksum cache read-only.
   */
  stateWaitMs?: number | undefined;
  /** The state dir's lock, when the caller holds it already (the agent). */
  stateLock?: StateLock | undefined;
  /** How often a changed checksum cache is saved during the run (default 2 min). */
  cacheSaveEveryMs?: number | undefined;
}

export interface ChecksumStats {
  filesHashed: number;
  bytesHashed: number;
  cacheHits: number;
}

export interface Inventory {
  /** One result per location read, in config order. */
  results: SourceResult[];
  drills: DrillLog;
  checksumStats: ChecksumStats;
  /** What a run with a budget read again (budgetBytes). */
  scrub?: ScrubFacts;
}

async function readLocation(work: LocationWork, ctx: Omit<SourceContext, 'datasets'>): Promise<SourceResult> {
  const started = performance.now();
  try {
    return await (await createSource(work.location)).inventory({ ...ctx, datasets: work.datasets });
  } catch (error) {
    // An aborted run ends here, whatever the source made of the abort.
    throwIfAborted(ctx.signal);
    // A source must not throw, but if one does the run goes on and its checks stay undecided.
    ctx.logger.error({ location: work.location.id, err: error }, 'source failed');
    const status: LocationStatus = {
      id: work.location.id,
      type: work.location.type,
      status: 'unreadable',
      copies: 0,
      issues: [sourceIssue('B321_SOURCE_FAILED', { detail: errorMessage(error) }, { severity: 'error' })],
      facts: {},
      durationMs: Math.round(performance.now() - started),
    };
    return { copies: [], status };
  }
}

export async function inventoryLocations(options: InventoryOptions): Promise<Inventory> {
  const { config, logger, signal, startedAt } = options;
  throwIfAborted(signal);
  const only = options.locations && new Set(options.locations);
  const work = locationsToRead(config, options.datasets).filter((w) => !only || only.has(w.location.id));
  // Started before anything else: a thread is slow to start, and this hides it behind the cache load and
  // host probe. For --deep they hash the small files they list, one thread per hash thread.
  const readsDirectories = work.some((w) => w.location.type === 'disk');
  // Forked before any thread opens a location file: the host's programs (lsblk, blkid, dd) start there.
  const releaseSpawner = readsDirectories ? useSpawner() : async () => {};
  // The operators' logs are read on these threads too: no location is read on the run's own thread.
  const readsFiles =
    readsDirectories || config.restoreDrills !== undefined || work.some((w) => w.location.type === 'offline-log');
  // With a budget the listing is a quick one: what is read again is chosen after it, and hashed by the pool.
  const scrub = options.deep && options.budgetBytes !== undefined ? createScrub(options.budgetBytes) : undefined;
  const deep = (options.deep ?? false) && !scrub;
  const walkers = !readsFiles
    ? undefined
    : deep && readsDirectories
      ? hashingWalkPool(hashThreadCount(config.agent.hashWorkers))
      : walkPoolFor(availableParallelism());
  let state: StateAccess;
  let checksums: PooledChecksumService;
  try {
    state = await openStateDir(config.agent.stateDir, {
      logger,
      purpose: scrub ? 'verify --deep --budget' : deep ? 'verify --deep' : 'verify',
      ...(options.stateWaitMs !== undefined ? { waitMs: options.stateWaitMs } : {}),
      signal,
      held: options.stateLock,
    });
    checksums = await createChecksumService({
      stateDir: config.agent.stateDir,
      workers: config.agent.hashWorkers,
      logger,
      loadInBackground: true,
      readOnly: state.readOnly,
      mayWrite: state.mayWrite,
      ...(options.cacheSaveEveryMs !== undefined ? { saveEveryMs: options.cacheSaveEveryMs } : {}),
    }).catch(async (error: unknown) => {
      await state.release();
      throw error;
    });
  } catch (error) {
    await Promise.all([walkers?.close(), releaseSpawner()]);
    throw error;
  }
  try {
    const host = createHostMedia({ logger: logger.child({ component: 'host' }) });
    await host.prefetch(work.flatMap((w) => (w.location.type === 'disk' ? [w.location.path] : [])));
    let results: SourceResult[];
    let drills: DrillLog;
    let scrubbed: ScrubFacts | undefined;
    try {
      const ctx = {
        now: startedAt,
        clockSkewMs: config.policy.clockSkewMs,
        deep,
        ...(scrub ? { offerRereads: scrub.offer } : {}),
        stateDir: config.agent.stateDir,
        stateReadOnly: state.readOnly,
        logger,
        checksums,
        host,
        ...(walkers ? { walkers } : {}),
        ...(signal ? { signal } : {}),
        ...(options.progress ? { progress: options.progress } : {}),
      };
      [results, drills] = await Promise.all([
        Promise.all(work.map((w) => readLocation(w, { ...ctx, logger: logger.child({ location: w.location.id }) }))),
        readDrillLog(config.restoreDrills, { nowMs: startedAt.getTime(), skewMs: config.policy.clockSkewMs }, (path) =>
          readLogText(path, { walkers, reader: 'restore-drills', readTimeoutMs: DEFAULT_READ_TIMEOUT_MS, signal }),
        ),
      ]);
      // Before the checksum service closes: it hashes what is read again, and keeps when it was.
      throwIfAborted(signal);
      if (scrub) scrubbed = await scrub.run({ config, results, now: startedAt, ...(signal ? { signal } : {}) });
    } finally {
      // Awaited before the evaluation, not overlapped with it: close() lets the cache's records go before the run's peak.
      await Promise.all([checksums.close(), walkers?.close()]);
    }
    // What the sources read under an abort is incomplete: no result is made of it.
    throwIfAborted(signal);
    if (config.locations.some((l) => l.type === 's3' && l.trustEtagMd5)) {
      const known = await openMd5Store(config.agent.stateDir, { now: startedAt.getTime(), readOnly: state.readOnly });
      await confirmEtagMd5(
        results.map((r) => r.copies),
        config.locations,
        { signal, known },
      );
      await known
        .save()
        .catch((error: unknown) =>
          logger.warn({ err: errorMessage(error) }, 'cannot save the MD5s of ETag comparisons'),
        );
    }
    throwIfAborted(signal);
    await fillMeasuredThroughput(results, config.locations, {
      stateDir: config.agent.stateDir,
      now: startedAt,
      logger,
      readOnly: state.readOnly,
      ...(signal ? { signal } : {}),
    });
    throwIfAborted(signal);
    return { results, drills, checksumStats: checksums.stats(), ...(scrubbed ? { scrub: scrubbed } : {}) };
  } finally {
    await Promise.all([state.release(), releaseSpawner()]);
  }
}
