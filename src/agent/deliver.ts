// From a run's report to the collector: the summary report, numbered in the instance's sequence,
// written durably to the outbox before anything is sent. A heartbeat repeats the last verdicts
// (with their times) under a new id and number, so a collector hears from an agent whose run is long.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Report } from '../model.js';
import type { SummaryReport } from '../report-schema/types.js';
import { buildSummaryReport, type SummaryContext, type Trigger } from '../report/summary-report.js';
import type { Sequence } from '../state/sequence.js';
import type { DropTally, Outbox } from './outbox.js';

export interface DeliveryOptions {
  /** Undefined while the config has no report.endpoint: summaries are made (metrics, logs) but not queued. */
  outbox: () => Outbox | undefined;
  sequence: Sequence;
  instanceId: string;
  configDigest: () => string;
  nextRunAt: () => Date | null;
  /** A report was queued: the sender may send it. */
  queued: () => void;
  logger: Logger;
  now: () => Date;
}

export interface Delivery {
  /** The summary of a finished run, queued; resolves once it is on disk. */
  send(report: Report, trigger: Exclude<Trigger, 'heartbeat'>): Promise<SummaryReport>;
  /** The last summary again as a heartbeat; nothing when no run has finished yet. */
  heartbeat(): Promise<SummaryReport | undefined>;
}

export function createDelivery(options: DeliveryOptions): Delivery {
  let last: SummaryReport | undefined;

  const queue = async (summaryFor: (seq: number, drops: DropTally | undefined) => SummaryReport) => {
    const seq = await options.sequence.next();
    const outbox = options.outbox();
    if (!outbox) return summaryFor(seq, undefined);
    let summary: SummaryReport | undefined;
    const first = summaryFor(seq, undefined);
    await outbox.add({
      reportId: first.reportId,
      seq,
      build: (drops) => {
        summary = drops.count > 0 ? summaryFor(seq, drops) : first;
        return JSON.stringify(summary);
      },
    });
    options.queued();
    return summary ?? first;
  };

  return {
    async send(report, trigger) {
      const finishedAt = options.now();
      const context = (seq: number, drops: DropTally | undefined): SummaryContext => ({
        instanceId: options.instanceId,
        seq,
        trigger,
        finishedAt,
        nextRunAt: options.nextRunAt(),
        configDigest: options.configDigest(),
        ...(drops ? { delivery: deliveryOf(drops) } : {}),
      });
      last = await queue((seq, drops) => buildSummaryReport(report, context(seq, drops)));
      return last;
    },
    async heartbeat() {
      const previous = last;
      if (!previous) {
        options.logger.info('a run is still going and none has finished yet: no heartbeat to send');
        return undefined;
      }
      const nextRunAt = options.nextRunAt();
      // One id for the heartbeat, whichever body the outbox asks for.
      const reportId = randomUUID();
      return queue((seq, drops) => {
        const { delivery: _told, ...rest } = previous as SummaryReport & { delivery?: unknown };
        return {
          ...rest,
          reportId,
          seq,
          trigger: 'heartbeat',
          nextRunAt: nextRunAt ? nextRunAt.toISOString() : null,
          ...(drops ? { delivery: deliveryOf(drops) } : {}),
        };
      });
    },
  };
}

function deliveryOf(drops: DropTally): NonNullable<SummaryContext['delivery']> {
  return { droppedReports: drops.count, firstDroppedSeq: drops.firstSeq, lastDroppedSeq: drops.lastSeq };
}
