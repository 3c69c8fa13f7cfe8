// The agent's Prometheus metrics: one registry per agent (never prom-client's global one), set from
// each run's summary report and from the outbox and sender's counts. The names are a contract with
// operators' dashboards and docs/prometheus-alerts.yml: docs/operations.md explains each.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { TRIGGERS } from '../report-schema/summary-report.js';
import type { SummaryReport } from '../report-schema/types.js';
import { CHECK_STATUSES, VERDICTS } from '../report-schema/words.js';

export type RunTrigger = (typeof TRIGGERS)[number];
export const DROP_REASONS = ['outbox-full', 'dead-letter', 'state-dir-full'] as const;
export type DropReason = (typeof DROP_REASONS)[number];
export const COPY_STATES = ['usable', 'counted', 'all'] as const;

/** From a quick cached run (seconds) to a deep run reading terabytes (hours). */
const RUN_DURATION_BUCKETS = [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 14400, 28800];

export interface AgentMetricsOptions {
  /**
   * The sender's failure reasons, shown at 0 from the start so that `increase()` and `rate()` see the
   * first failure; a reason not named here still counts, from its first failure on.
   */
  sendFailureReasons?: readonly string[];
}

export interface AgentMetrics {
  readonly registry: Registry;
  /** After each run: every dataset of the summary, and none of those no longer in it. */
  recordRun(summary: SummaryReport, run: { trigger: RunTrigger; durationSeconds: number }): void;
  /** A run that did not start because the previous one was still going. */
  runSkipped(): void;
  setOutbox(outbox: { reports: number; bytes: number }): void;
  reportSent(): void;
  /** `reason` must come from a small fixed set (a label value per reason). */
  sendFailed(reason: string): void;
  reportsDropped(reason: DropReason, count: number): void;
  /** The page in Prometheus' text format, made from memory. */
  page(): Promise<string>;
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

export function createAgentMetrics(options: AgentMetricsOptions = {}): AgentMetrics {
  const registry = new Registry();
  const registers = [registry];
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers });
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name, help, labelNames, registers });

  const verdict = gauge(
    'backup321_dataset_verdict',
    "1 for the dataset's verdict in the last run, 0 for the other verdicts.",
    ['dataset', 'verdict'],
  );
  const checkStatus = gauge(
    'backup321_check_status',
    "1 for the check's status for the dataset in the last run, 0 for the other statuses.",
    ['dataset', 'check', 'status'],
  );
  const copies = gauge(
    'backup321_dataset_copies',
    'Copies of the dataset: all found, usable (intact and dated), counted (on distinct devices, as the copies check counts them).',
    ['dataset', 'state'],
  );
  const newestCopy = gauge(
    'backup321_dataset_newest_copy_timestamp_seconds',
    "Data time of the dataset's newest usable copy (absent when it has none).",
    ['dataset'],
  );
  const restoreEstimate = gauge(
    'backup321_dataset_restore_estimate_seconds',
    'Estimated time to restore the dataset from its fastest usable copy (absent when unknown).',
    ['dataset'],
  );
  const rto = gauge('backup321_dataset_rto_seconds', "The dataset's recovery time objective.", ['dataset']);
  const rpo = gauge(
    'backup321_dataset_rpo_seconds',
    "The dataset's recovery point objective (absent when the run's freshness check does not state it).",
    ['dataset'],
  );
  const lastRun = gauge('backup321_last_run_timestamp_seconds', 'When the last run of each trigger finished.', [
    'trigger',
  ]);
  const runDuration = new Histogram({
    name: 'backup321_run_duration_seconds',
    help: 'How long runs took.',
    buckets: RUN_DURATION_BUCKETS,
    registers,
  });
  const skipped = counter('backup321_runs_skipped_total', 'Runs not started because the previous run was still going.');
  const outboxReports = gauge('backup321_outbox_reports', 'Reports waiting on disk for the collector.');
  const outboxBytes = gauge('backup321_outbox_bytes', 'Bytes of the reports waiting on disk for the collector.');
  const sent = counter('backup321_reports_sent_total', 'Reports the collector accepted.');
  const sendFailures = counter('backup321_send_failures_total', 'Failed attempts to send a report.', ['reason']);
  const dropped = counter('backup321_reports_dropped_total', 'Reports dropped without reaching the collector.', [
    'reason',
  ]);

  for (const reason of options.sendFailureReasons ?? []) sendFailures.labels(reason).inc(0);
  for (const reason of DROP_REASONS) dropped.labels(reason).inc(0);
  outboxReports.set(0);
  outboxBytes.set(0);

  const recordRun: AgentMetrics['recordRun'] = (summary, run) => {
    // Cleared first: a dataset (or a check) gone from the config is gone from the page.
    for (const metric of [verdict, checkStatus, copies, newestCopy, restoreEstimate, rto, rpo]) metric.reset();
    for (const dataset of summary.datasets) {
      const id = dataset.id;
      for (const value of VERDICTS) verdict.set({ dataset: id, verdict: value }, value === dataset.verdict ? 1 : 0);
      for (const finding of dataset.findings) {
        for (const status of CHECK_STATUSES) {
          checkStatus.set({ dataset: id, check: finding.check, status }, status === finding.status ? 1 : 0);
        }
      }
      copies.set({ dataset: id, state: 'all' }, dataset.counts.copies);
      copies.set({ dataset: id, state: 'usable' }, dataset.counts.usable);
      copies.set({ dataset: id, state: 'counted' }, dataset.counts.devices);
      if (dataset.newestCopyAt !== null) newestCopy.set({ dataset: id }, seconds(dataset.newestCopyAt));
      if (dataset.restoreEstimateMs !== null) restoreEstimate.set({ dataset: id }, dataset.restoreEstimateMs / 1000);
      rto.set({ dataset: id }, dataset.rtoMs / 1000);
      const rpoMs = statedRpoMs(dataset);
      if (rpoMs !== undefined) rpo.set({ dataset: id }, rpoMs / 1000);
    }
    lastRun.set({ trigger: run.trigger }, seconds(summary.finishedAt));
    runDuration.observe(run.durationSeconds);
  };

  return {
    registry,
    recordRun,
    runSkipped: () => skipped.inc(),
    setOutbox: ({ reports, bytes }) => {
      outboxReports.set(reports);
      outboxBytes.set(bytes);
    },
    reportSent: () => sent.inc(),
    sendFailed: (reason) => sendFailures.labels(reason).inc(),
    reportsDropped: (reason, count) => dropped.labels(reason).inc(count),
    page: () => registry.metrics(),
  };
}

type SummaryDataset = SummaryReport['datasets'][number];

/**
 * The dataset's RPO as its freshness check states it (the dataset's own override applied). The one
 * result that does not state it (offline-stale) fails freshness, which the verdict already says; the
 * run's default policy would be wrong for a dataset with its own RPO, so the series is left out.
 */
function statedRpoMs(dataset: SummaryDataset): number | undefined {
  const stated = dataset.findings.find((finding) => finding.check === 'freshness')?.params.rpoMs;
  return typeof stated === 'number' ? stated : undefined;
}
