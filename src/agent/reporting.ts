// The way out of the agent: the durable outbox in the state dir, and the sender that empties it to
// the collector with the token and TLS files of the config. Rebuilt on SIGHUP; the outbox stays.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import { readReportCredentials } from './credentials.js';
import { toldInSummary } from './drop-tally.js';
import type { AgentMetrics } from './metrics.js';
import { type Outbox, openOutbox } from './outbox.js';
import { createSender, type Sender } from './sender.js';

export interface ReportingOptions {
  config: Config;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  metrics: AgentMetrics;
  retry?: { initialMs?: number; maxMs?: number; authPauseMs?: number } | undefined;
}

export interface Reporting {
  /** Undefined while the config names no endpoint: nothing is queued that nothing would send. */
  outbox(): Outbox | undefined;
  highestSeq(): number;
  depth(): { reports: number; bytes: number };
  /** Sends in the background from now on: what waits from before, then each report queued. */
  startSending(): void;
  wake(): void;
  /** Sends until the outbox is empty or a send fails; true when it is empty. No background sending needed. */
  drain(): Promise<boolean>;
  /** The config's endpoint, token and TLS files again (SIGHUP). */
  reload(config: Config): Promise<void>;
  stop(): Promise<void>;
}

export async function openReporting(options: ReportingOptions): Promise<Reporting> {
  const { logger, metrics } = options;
  const stateDir = options.config.agent.stateDir;
  // Opened whatever the config says: reports queued under an earlier config are counted and kept.
  const outbox = await openOutbox({
    dir: join(stateDir, 'outbox'),
    maxReports: options.config.report.outbox.maxReports,
    maxBytes: options.config.report.outbox.maxBytes,
    logger: logger.child({ component: 'outbox' }),
    onDropped: () => metrics.reportsDropped('outbox-full', 1),
    onHeldLost: () => metrics.reportsDropped('state-dir-full', 1),
    toldIn: toldInSummary,
  });
  metrics.setOutbox(outbox.depth());
  let sender: Sender | undefined;
  let endpoint: string | undefined;
  // `agent --once` drains in the foreground only: a background loop would claim the reports first.
  let sending = false;

  /** Reads what the config's sending needs first, so a SIGHUP with a missing token file keeps the running sender. */
  const prepare = async (config: Config): Promise<() => void> => {
    const target = config.report.endpoint;
    if (!target) {
      return () => {
        logger.warn('no report.endpoint in the config: reports are made and measured, not sent');
        endpoint = undefined;
        sender = undefined;
      };
    }
    const credentials = await readReportCredentials(config.report, options.env, logger);
    return () => {
      if (!credentials.token)
        logger.warn({ endpoint: target }, 'no agent token (report.tokenFile): the collector will refuse the reports');
      else logger.info({ tokenFrom: credentials.tokenFrom }, 'agent token read');
      endpoint = target;
      sender = createSender({
        outbox,
        endpoint: target,
        token: () => credentials.token,
        tls: credentials.tls,
        logger: logger.child({ component: 'sender' }),
        ...(options.retry ? { backoff: options.retry } : {}),
        events: {
          sent: () => {
            metrics.reportSent();
            metrics.setOutbox(outbox.depth());
          },
          failed: (reason) => metrics.sendFailed(reason),
          deadLettered: () => {
            metrics.reportsDropped('dead-letter', 1);
            metrics.setOutbox(outbox.depth());
          },
        },
      });
      if (sending) sender.wake();
    };
  };
  (await prepare(options.config))();

  return {
    outbox: () => (endpoint ? outbox : undefined),
    highestSeq: () => outbox.highestSeq(),
    depth: () => outbox.depth(),
    startSending() {
      sending = true;
      sender?.wake();
    },
    wake: () => {
      if (sending) sender?.wake();
    },
    async drain() {
      if (!sender) return outbox.depth().reports === 0;
      const result = await sender.drain();
      metrics.setOutbox(outbox.depth());
      return result.remaining === 0;
    },
    async reload(config) {
      const swap = await prepare(config);
      await sender?.stop();
      swap();
    },
    async stop() {
      await sender?.stop();
      outbox.close();
    },
  };
}
