// One verification run: read every location the selected datasets use, evaluate them, build the report.
// The stages are inventory.ts and evaluate.ts; the agent calls them one by one.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import { hostFacts } from '../host/facts.js';
import type { Report } from '../model.js';
import { buildReport } from '../report/build.js';
import { englishMessage } from '../report/messages.js';
import type { SourceContext } from '../sources/source.js';
import type { StateLock } from '../state/state-lock.js';
import { PRODUCT_VERSION } from '../version.js';
import { abortErrorOf, throwIfAborted } from './abort.js';
import { evaluateDatasets } from './evaluate.js';
import { type ChecksumStats, inventoryLocations } from './inventory.js';
import { selectDatasets } from './select.js';

export interface VerifyOptions {
  config: Config;
  logger: Logger;
  datasets?: string[];
  deep?: boolean;
  /** With `deep`: read quickly, then read again the copies confirmed longest ago up to this many bytes. */
  budgetBytes?: number | undefined;
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
  checksumStats: ChecksumStats;
}

export async function verify(options: VerifyOptions): Promise<VerifyResult> {
  const clock = options.now ?? (() => new Date());
  const startedAt = clock();
  // On the monotonic clock: a wall clock stepped during the run would make the duration negative.
  const startedMs = performance.now();
  const { config, logger, signal } = options;
  throwIfAborted(signal);
  const datasets = selectDatasets(config, options.datasets);
  const { results, drills, checksumStats, scrub } = await inventoryLocations({
    config,
    logger,
    datasets,
    deep: options.deep ?? false,
    budgetBytes: options.budgetBytes,
    startedAt,
    signal,
    stateWaitMs: options.stateWaitMs,
    stateLock: options.stateLock,
    cacheSaveEveryMs: options.cacheSaveEveryMs,
    ...(options.progress ? { progress: options.progress } : {}),
  }).catch((error: unknown) => {
    // Whichever step noticed the abort first (a timer, the SDK, a probe's own check), the run ends the same way.
    if (signal?.aborted) throw abortErrorOf(signal);
    throw error;
  });
  // This run drops the results once evaluated: they are consumed, not copied.
  const evaluation = evaluateDatasets({ config, datasets, results, drills, now: startedAt, consume: true });
  const report = buildReport({
    reportId: randomUUID(),
    startedAt,
    productVersion: PRODUCT_VERSION,
    agentId: config.agent.id,
    host: hostFacts(),
    deep: options.deep ?? false,
    scrub,
    datasetsSelected: options.datasets && options.datasets.length > 0 ? options.datasets : null,
    durationMs: Math.round(performance.now() - startedMs),
    policy: config.policy,
    datasets: evaluation.datasets,
    sources: evaluation.sources,
    drills,
    message: englishMessage,
  });
  return { report, checksumStats };
}
