// One run of the agent: read what the trigger asks for (everything on a schedule, the changed
// locations after a watched change), judge the datasets that read it, and build the whole report
// from those verdicts and the others' last ones.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import { hostFacts } from '../host/facts.js';
import type { Report } from '../model.js';
import { buildReport } from '../report/build.js';
import { englishMessage } from '../report/messages.js';
import type { Trigger } from '../report/summary-report.js';
import type { StateLock } from '../state/state-lock.js';
import { PRODUCT_VERSION } from '../version.js';
import { evaluateDatasets } from '../verify/evaluate.js';
import { inventoryLocations } from '../verify/inventory.js';
import { locationsToRead } from '../verify/select.js';
import { datasetsAffected, type LastResults } from './last-results.js';

/** Why a run is made, and for a watched change, what changed. */
export interface RunRequest {
  trigger: Exclude<Trigger, 'heartbeat'>;
  /** For `watch`: the locations whose files changed. */
  locations?: string[];
  /** For `watch`: the drill log changed. */
  drillsChanged?: boolean;
}

export interface CycleOptions {
  config: Config;
  logger: Logger;
  last: LastResults;
  stateLock: StateLock;
  now: () => Date;
  signal?: AbortSignal;
}

export interface CycleResult {
  report: Report;
  /** What was read: every location, or the changed ones. */
  locationsRead: string[];
  datasetsJudged: string[];
  durationMs: number;
}

export async function runCycle(request: RunRequest, options: CycleOptions): Promise<CycleResult> {
  const { config, logger, last, signal } = options;
  const startedAt = options.now();
  // Durations on the monotonic clock: a wall clock stepped during the run would make them negative.
  const startedMs = performance.now();
  const used = locationsToRead(config, config.datasets).map((work) => work.location.id);
  // A change is read alone only once every dataset has a verdict to keep; before that, everything is read.
  const partial = request.trigger === 'watch' && last.evaluations(config) !== undefined && last.resultsOf(used);
  const toRead = partial ? used.filter((id) => request.locations?.includes(id)) : used;
  const datasets = partial ? datasetsAffected(config, toRead, request.drillsChanged ?? false) : config.datasets;
  const deep = request.trigger === 'deep';
  const inventory = await inventoryLocations({
    config,
    logger,
    // Every dataset's patterns at the locations read: the result of a location stands for all of them.
    datasets: config.datasets,
    locations: toRead,
    deep,
    budgetBytes: deep ? config.deep.budgetBytes : undefined,
    startedAt,
    signal,
    stateLock: options.stateLock,
  });
  last.keep(inventory.results, inventory.drills);
  const sources = last.resultsOf(used) ?? inventory.results;
  const evaluation = evaluateDatasets({ config, datasets, results: sources, drills: inventory.drills, now: startedAt });
  last.keepEvaluations(evaluation.datasets);
  const report = buildReport({
    reportId: randomUUID(),
    startedAt,
    productVersion: PRODUCT_VERSION,
    agentId: config.agent.id,
    host: hostFacts(),
    deep,
    scrub: inventory.scrub,
    datasetsSelected: null,
    durationMs: Math.round(performance.now() - startedMs),
    policy: config.policy,
    datasets: last.evaluations(config) ?? evaluation.datasets,
    sources: sources.map((result) => result.status),
    drills: inventory.drills,
    message: englishMessage,
  });
  return {
    report,
    locationsRead: toRead,
    datasetsJudged: datasets.map((dataset) => dataset.id),
    durationMs: Math.round(performance.now() - startedMs),
  };
}
