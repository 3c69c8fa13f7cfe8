// One verification run: read every location the selected datasets use, evaluate them, build the report.
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import { errorMessage } from '../errors.js';
import { hostFacts } from '../host/facts.js';
import { createHostMedia } from '../host/index.js';
import { createChecksumService, hashThreadCount } from '../integrity/service.js';
import { sourceIssue } from '../issues.js';
import type { Copy, DrillLog, LocationStatus, Report, SourceResult } from '../model.js';
import { evaluateDataset } from '../policy/evaluate.js';
import { buildReport } from '../report/build.js';
import { englishMessage } from '../report/messages.js';
import { readDrillLog } from '../drills/log.js';
import { createSource } from '../sources/index.js';
import { hashingWalkPool, walkPoolFor } from '../sources/disk/walk-pool.js';
import type { SourceContext } from '../sources/source.js';
import { PRODUCT_VERSION } from '../version.js';
import { confirmEtagMd5 } from './etag-md5.js';
import { type LocationWork, locationsToRead, selectDatasets } from './select.js';
import { fillMeasuredThroughput } from './throughput.js';
import { unreadableFor } from './unreadable.js';

export interface VerifyOptions {
  config: Config;
  logger: Logger;
  datasets?: string[];
  deep?: boolean;
  /** The clock, injectable so tests and the demo can fix "now". */
  now?: () => Date;
  progress?: SourceContext['progress'];
  signal?: AbortSignal;
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
 * Adds a source's copies to their datasets' lists. A function of its own: V8 compiles this loop while
 * it runs (on-stack replacement), and compiling it inside verify() compiled all of verify() for it,
 * then deoptimised at the first call after the loop. Indexed (a for-of allocated an iterator result
 * per copy in unoptimised code), and a source lists a dataset's copies together: one map lookup per
 * run of them, not per copy.
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
  const started = clock();
  const startedMs = Date.now();
  const { config, logger } = options;
  const datasets = selectDatasets(config, options.datasets);
  const work = locationsToRead(config, datasets);
  // Started before anything else: a thread takes tens of ms to start, hidden behind the cache load and
  // host probe. For --deep they hash the small files they list, one thread per hash thread.
  const readsDirectories = work.some((w) => w.location.type === 'disk');
  const walkers = !readsDirectories
    ? undefined
    : options.deep
      ? hashingWalkPool(hashThreadCount(config.agent.hashWorkers))
      : walkPoolFor(availableParallelism());
  const checksums = await createChecksumService({
    stateDir: config.agent.stateDir,
    workers: config.agent.hashWorkers,
    logger,
    loadInBackground: true,
  }).catch(async (error: unknown) => {
    await walkers?.close();
    throw error;
  });
  const host = createHostMedia({ logger: logger.child({ component: 'host' }) });
  let results: SourceResult[];
  let drills: DrillLog;
  try {
    const ctx = {
      now: started,
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
      readDrillLog(config.restoreDrills, { nowMs: started.getTime(), skewMs: config.policy.clockSkewMs }),
    ]);
  } finally {
    // Awaited before the evaluation, not overlapped with it: close() lets the cache's records go
    // (about 130 MB per million files), and the evaluation is the run's peak (measured: a cold run
    // over 1M copies peaked at 992 MB with the two overlapped, 808 MB without).
    await Promise.all([checksums.close(), walkers?.close()]);
  }
  await confirmEtagMd5(
    results.map((r) => r.copies),
    config.locations,
  );
  await fillMeasuredThroughput(results, config.locations, { stateDir: config.agent.stateDir, now: started, logger });
  const byDataset = new Map<string, Copy[]>();
  for (const result of results) addByDataset(byDataset, result.copies);
  // From here on the copies live in byDataset only; each dataset's copies are assessed in place and
  // its list dropped once evaluated, so a million copies are never held twice (measured: peak RSS of a
  // cold verify over 1M copies 1,292 MB before, 1,010 MB after, with the other changes in docs/benchmarks.md).
  for (const result of results) result.copies = [];
  const statuses = results.map((r) => r.status);
  const offlineIds = new Set(config.locations.filter((l) => l.type === 'offline-log').map((l) => l.id));
  const now = started;
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
    generatedAt: now,
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
