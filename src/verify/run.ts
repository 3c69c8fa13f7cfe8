// One verification run: read every location the selected datasets use, evaluate them, build the report.
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import { errorMessage } from '../errors.js';
import { hostFacts } from '../host/facts.js';
import { createHostMedia } from '../host/index.js';
import { createChecksumService, hashThreadCount, type PooledChecksumService } from '../integrity/service.js';
import { sourceIssue } from '../issues.js';
import type { Copy, DrillLog, LocationStatus, Report, SourceResult } from '../model.js';
import { evaluateDataset } from '../policy/evaluate.js';
import { buildReport } from '../report/build.js';
import { englishMessage } from '../report/messages.js';
import { readDrillLog } from '../drills/log.js';
import { createSource } from '../sources/index.js';
import { hashingWalkPool, walkPoolFor } from '../sources/walk-pool.js';
import type { SourceContext } from '../sources/source.js';
import type { StateLock } from '../state/state-lock.js';
import { PRODUCT_VERSION } from '../version.js';
import { throwIfAborted } from './abort.js';
import { confirmEtagMd5 } from './etag-md5.js';
import { type LocationWork, locationsToRead, selectDatasets } from './select.js';
import { fillMeasuredThroughput } from './throughput.js';
import { unreadableFor } from './unreadable.js';
import { openStateDir, type StateAccess } from './state-access.js';

export interface VerifyOptions {
  config: Config;
  logger: Logger;
  datasets?: string[];
  deep?: boolean;
  /** The clock, injectable so tests and the demo can fix "now". */
  now?: () => Date;
  progress?: SourceContext['progress'];
  signal?: AbortSignal;
  /**
   * How long to wait for the state dir when another process holds it (default 30 s); past it the run
   * goes on with the checksum cache read-only.
   */
  stateWaitMs?: number;
  /** The state dir's lock, when the caller holds it already (the agent). */
  stateLock?: StateLock;
  /** How often a changed checksum cache is saved during the run (default 2 min). */
  cacheSaveEveryMs?: number;
}

export interface VerifyResult {
  report: Report;
  checksumStats: { filesHashed: number; bytesHashed: number; cacheHits: number };
}

async function readLocation(work: LocationWork, ctx: Omit<SourceContext, 'datasets'>): Promise<SourceResult> {
  const started = Date.now();
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
      durationMs: Date.now() - started,
    };
    return { copies: [], status };
  }
}

/**
 * Adds a source's copies to their datasets' lists. A function of its own, so its loop is compiled apart
 * from verify(); a source lists a dataset's copies together: one map lookup per run of them, not per copy.
 */
function addByDataset(byDataset: Map<string, Copy[]>, copies: Copy[]): void {
  let dataset: string | undefined;
  let list: Copy[] = [];
  for (let i = 0; i < copies.length; i++) {
    const copy = copies[i] as Copy;
    if (copy.dataset !== dataset) {
      dataset = copy.dataset;
      list = byDataset.get(dataset) ?? [];
      byDataset.set(dataset, list);
    }
    list.push(copy);
  }
}

export async function verify(options: VerifyOptions): Promise<VerifyResult> {
  const clock = options.now ?? (() => new Date());
  const startedAt = clock();
  const startedMs = Date.now();
  const { config, logger, signal } = options;
  throwIfAborted(signal);
  const datasets = selectDatasets(config, options.datasets);
  const work = locationsToRead(config, datasets);
  // Started before anything else: a thread is slow to start, and this hides it behind the cache load and
  // host probe. For --deep they hash the small files they list, one thread per hash thread.
  const readsDirectories = work.some((w) => w.location.type === 'disk');
  const walkers = !readsDirectories
    ? undefined
    : options.deep
      ? hashingWalkPool(hashThreadCount(config.agent.hashWorkers))
      : walkPoolFor(availableParallelism());
  let state: StateAccess;
  let checksums: PooledChecksumService;
  try {
    state = await openStateDir(config.agent.stateDir, {
      logger,
      purpose: options.deep ? 'verify --deep' : 'verify',
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
    await walkers?.close();
    throw error;
  }
  let results: SourceResult[];
  let drills: DrillLog;
  try {
    const host = createHostMedia({ logger: logger.child({ component: 'host' }) });
    try {
      const ctx = {
        now: startedAt,
        clockSkewMs: config.policy.clockSkewMs,
        deep: options.deep ?? false,
        stateDir: config.agent.stateDir,
        logger,
        checksums,
        host,
        ...(walkers ? { walkers } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.progress ? { progress: options.progress } : {}),
      };
      [results, drills] = await Promise.all([
        Promise.all(work.map((w) => readLocation(w, { ...ctx, logger: logger.child({ location: w.location.id }) }))),
        readDrillLog(config.restoreDrills, { nowMs: startedAt.getTime(), skewMs: config.policy.clockSkewMs }),
      ]);
    } finally {
      // Awaited before the evaluation, not overlapped with it: close() lets the cache's records go before the run's peak.
      await Promise.all([checksums.close(), walkers?.close()]);
    }
    // What the sources read under an abort is incomplete: no report is made of it.
    throwIfAborted(signal);
    await confirmEtagMd5(
      results.map((r) => r.copies),
      config.locations,
      signal,
    );
    throwIfAborted(signal);
    await fillMeasuredThroughput(results, config.locations, {
      stateDir: config.agent.stateDir,
      now: startedAt,
      logger,
      readOnly: state.readOnly,
      ...(signal ? { signal } : {}),
    });
  } finally {
    await state.release();
  }
  throwIfAborted(signal);
  const byDataset = new Map<string, Copy[]>();
  for (const result of results) addByDataset(byDataset, result.copies);
  // From here on the copies live in byDataset only; each dataset's copies are assessed in place and
  // its list dropped once evaluated, so a million copies are never held twice.
  for (const result of results) result.copies = [];
  const statuses = results.map((r) => r.status);
  const offlineIds = new Set(config.locations.filter((l) => l.type === 'offline-log').map((l) => l.id));
  const now = startedAt;
  const evaluated = datasets.map((dataset, index) => {
    const locations = Object.keys(dataset.copies);
    const read = dataset.primary ? [...locations, dataset.primary.location] : locations;
    const evaluation = evaluateDataset({
      id: dataset.id,
      policy: dataset.policy,
      locations,
      offlineLocations: locations.filter((id) => offlineIds.has(id)),
      copies: byDataset.get(dataset.id) ?? [],
      unreadable: unreadableFor(dataset.id, read, statuses),
      drills,
      now,
      // Only if this is the dataset's last evaluation: its copies are dropped right below.
      assessInPlace: datasets.lastIndexOf(dataset) === index,
    });
    // (`--dataset x --dataset x` names it twice: keep the list for its last evaluation.)
    if (datasets.lastIndexOf(dataset) === index) byDataset.delete(dataset.id);
    return { config: dataset, locations, evaluation };
  });
  const report = buildReport({
    reportId: randomUUID(),
    startedAt,
    productVersion: PRODUCT_VERSION,
    agentId: config.agent.id,
    host: hostFacts(),
    deep: options.deep ?? false,
    datasetsSelected: options.datasets && options.datasets.length > 0 ? options.datasets : null,
    durationMs: Date.now() - startedMs,
    policy: config.policy,
    datasets: evaluated,
    sources: statuses,
    drills,
    message: englishMessage,
  });
  return { report, checksumStats: checksums.stats() };
}
