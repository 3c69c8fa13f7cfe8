// One run at a time. A scheduled run due while another runs is skipped (counted, a heartbeat sent);
// a deep run due then waits for it (skipping it would lose a night's scrub); watched changes that come
// during a run are gathered and read together once it ends.
import type { Logger } from 'pino';
import type { RunRequest } from './run-cycle.js';

export interface RunLoopOptions {
  /** One run; rejects with an AbortError when the signal aborted it. */
  execute(request: RunRequest, signal: AbortSignal): Promise<void>;
  /** A scheduled run came while another ran. */
  skipped(request: RunRequest): void;
  logger: Logger;
}

export interface RunLoop {
  /** What became of the request: started now, waiting for the current run, or skipped. */
  request(request: RunRequest): 'started' | 'queued' | 'skipped';
  running(): RunRequest | undefined;
  /** Resolves when no run is going and none waits. */
  idle(): Promise<void>;
  /**
   * No run starts any more; the current one may finish for `graceMs`, then it is aborted. Resolves
   * once it has ended either way.
   */
  stop(graceMs: number): Promise<'finished' | 'aborted' | 'idle'>;
}

export function createRunLoop(options: RunLoopOptions): RunLoop {
  let current: { request: RunRequest; controller: AbortController; done: Promise<void> } | undefined;
  let waitingDeep: RunRequest | undefined;
  let waitingWatch: { locations: Set<string>; drillsChanged: boolean } | undefined;
  let stopped = false;
  let idleWaiters: Array<() => void> = [];

  const start = (request: RunRequest): void => {
    const controller = new AbortController();
    const done = options
      .execute(request, controller.signal)
      .catch((error: unknown) => {
        if (controller.signal.aborted) options.logger.warn({ trigger: request.trigger }, 'run aborted');
        else options.logger.error({ err: error, trigger: request.trigger }, 'run failed');
      })
      .finally(() => {
        current = undefined;
        const next = stopped ? undefined : takeWaiting();
        if (next) start(next);
        else if (!current) {
          const waiters = idleWaiters;
          idleWaiters = [];
          for (const wake of waiters) wake();
        }
      });
    current = { request, controller, done };
  };

  const takeWaiting = (): RunRequest | undefined => {
    if (waitingDeep) {
      const deep = waitingDeep;
      waitingDeep = undefined;
      // A deep run reads everything: the changes that waited are read by it.
      waitingWatch = undefined;
      return deep;
    }
    if (waitingWatch) {
      const watch = waitingWatch;
      waitingWatch = undefined;
      return { trigger: 'watch', locations: [...watch.locations], drillsChanged: watch.drillsChanged };
    }
    return undefined;
  };

  return {
    request(request) {
      if (stopped) return 'skipped';
      if (!current) {
        start(request);
        return 'started';
      }
      if (request.trigger === 'deep') {
        waitingDeep = request;
        return 'queued';
      }
      if (request.trigger === 'watch') {
        waitingWatch ??= { locations: new Set(), drillsChanged: false };
        for (const id of request.locations ?? []) waitingWatch.locations.add(id);
        waitingWatch.drillsChanged ||= request.drillsChanged ?? false;
        return 'queued';
      }
      options.skipped(request);
      return 'skipped';
    },
    running: () => current?.request,
    idle() {
      if (!current) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async stop(graceMs) {
      stopped = true;
      waitingDeep = undefined;
      waitingWatch = undefined;
      const run = current;
      if (!run) return 'idle';
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'aborted'>((resolve) => {
        timer = setTimeout(() => resolve('aborted'), graceMs);
      });
      const outcome = await Promise.race([run.done.then(() => 'finished' as const), graceOver]);
      clearTimeout(timer);
      if (outcome === 'aborted') {
        run.controller.abort();
        await run.done;
      }
      return outcome;
    },
  };
}
