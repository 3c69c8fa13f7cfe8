// --retention: deletes reports older than the retention in the background, a round now and then.
// The store deletes in batches a transaction each, so an ingest waits at most one batch; rounds never
// overlap, and a failed round is logged and the next one goes on.
import type { Logger } from 'pino';
import type { CollectorStore, PruneResult } from './store/types.js';

export interface RetentionOptions {
  /** Reports received longer ago than this are deleted. */
  keepMs: number;
  /** Between rounds (default 1 h); the first round starts at once. */
  everyMs?: number;
}

export interface Retention {
  runOnce(): Promise<PruneResult | null>;
  /** Stops the rounds, waiting for the one in progress. */
  stop(): Promise<void>;
}

export function startRetention(
  store: Pick<CollectorStore, 'prune'>,
  options: RetentionOptions,
  hooks: { now: () => number; logger: Logger; pruned(deleted: number): void; failed(): void },
): Retention {
  const everyMs = options.everyMs ?? 3_600_000;
  let running: Promise<PruneResult | null> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const round = async (): Promise<PruneResult | null> => {
    const olderThan = new Date(hooks.now() - options.keepMs);
    try {
      const result = await store.prune(olderThan);
      hooks.pruned(result.deleted);
      if (result.deleted > 0) hooks.logger.info({ ...result, olderThan }, 'old reports pruned');
      return result;
    } catch (error) {
      hooks.failed();
      hooks.logger.error({ err: { message: (error as Error).message }, olderThan }, 'pruning old reports failed');
      return null;
    }
  };
  const runOnce = () => {
    running ??= round().finally(() => {
      running = undefined;
    });
    return running;
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => void runOnce().then(() => schedule(everyMs)), ms);
    timer.unref();
  };
  schedule(0);
  return {
    runOnce,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
