// The collector's /metrics page, on a Registry of its own (nothing global): ingest outcomes and
// latency, agents by status (read from the store when scraped), store errors, retention.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AgentStatus, FleetCounts } from './store/types.js';

/** What a POST came to, a fixed set (a metric's label). */
export const INGEST_OUTCOMES = [
  'stored',
  'duplicate',
  'conflict',
  'invalid',
  'unauthorized',
  'forbidden',
  'too-large',
  'unsupported',
  'rate-limited',
  'unavailable',
] as const;
export type IngestOutcomeLabel = (typeof INGEST_OUTCOMES)[number];

const STATUSES: AgentStatus[] = ['compliant', 'at-risk', 'non-compliant', 'unknown', 'silent'];

export interface CollectorMetrics {
  registry: Registry;
  ingested(outcome: IngestOutcomeLabel, seconds: number, bytes: number): void;
  storeError(operation: string): void;
  pruned(deleted: number): void;
  page(): Promise<string>;
}

export function collectorMetrics(
  fleet: () => Promise<FleetCounts>,
  onFleetError: (error: unknown) => void,
): CollectorMetrics {
  const registry = new Registry();
  const ingests = new Counter({
    name: 'backup321_collector_ingest_total',
    help: 'Reports posted, by what came of them.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'backup321_collector_ingest_duration_seconds',
    help: 'Time from a POST of a report to its answer, by outcome.',
    labelNames: ['outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const bytes = new Counter({
    name: 'backup321_collector_ingest_received_bytes_total',
    help: 'Bytes of report bodies received on the wire (before inflating).',
    registers: [registry],
  });
  const storeErrors = new Counter({
    name: 'backup321_collector_store_errors_total',
    help: 'Store operations that failed (the database unreachable or refusing), by operation.',
    labelNames: ['operation'],
    registers: [registry],
  });
  const prunedReports = new Counter({
    name: 'backup321_collector_pruned_reports_total',
    help: 'Reports deleted by the retention.',
    registers: [registry],
  });
  new Gauge({
    name: 'backup321_collector_agents',
    help: 'Agents by status: silent when nothing came for --silent-after, else their worst dataset verdict.',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      try {
        const { byStatus } = await fleet();
        const counts: Record<AgentStatus, number> = {
          compliant: byStatus.compliant,
          'at-risk': byStatus.atRisk,
          'non-compliant': byStatus.nonCompliant,
          unknown: byStatus.unknown,
          silent: byStatus.silent,
        };
        for (const status of STATUSES) this.set({ status }, counts[status]);
      } catch (error) {
        storeErrors.inc({ operation: 'fleet' });
        onFleetError(error);
      }
    },
  });
  for (const outcome of INGEST_OUTCOMES) {
    ingests.inc({ outcome }, 0);
  }
  storeErrors.inc({ operation: 'ingest' }, 0);
  return {
    registry,
    ingested(outcome, seconds, received) {
      ingests.inc({ outcome });
      latency.observe({ outcome }, seconds);
      if (received > 0) bytes.inc(received);
    },
    storeError: (operation) => storeErrors.inc({ operation }),
    pruned: (deleted) => prunedReports.inc(deleted),
    page: () => registry.metrics(),
  };
}
