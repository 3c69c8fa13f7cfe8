// `backup321 agent`: the 24/7 service. It holds the state dir, runs the verifier on schedule and after
// watched changes (one run at a time), queues each run's summary in the durable outbox, sends it, and
// answers /healthz and /metrics. What depends on the config is rebuilt on SIGHUP.
import type { Logger } from 'pino';
import { configDigest } from '../config/digest.js';
import type { Config } from '../config/types.js';
import type { Verdict } from '../model.js';
import { instanceIdOf } from '../state/instance.js';
import { openSequence } from '../state/sequence.js';
import type { StateLock } from '../state/state-lock.js';
import { createDelivery } from './deliver.js';
import { createLastResults } from './last-results.js';
import type { HealthState } from './health.js';
import { type AgentMetrics, createAgentMetrics } from './metrics.js';
import { type Reporting, openReporting } from './reporting.js';
import { type CycleResult, type RunRequest, runCycle } from './run-cycle.js';
import { releaseRunMemory } from './release-memory.js';
import { createRunLoop } from './run-loop.js';
import { SEND_FAILURE_REASONS } from './sender.js';
import { startTriggers, type Triggers } from './triggers.js';
import { verdictChanges } from './verdict-changes.js';

export interface AgentOptions {
  config: Config;
  /** The state dir's lock, taken by the caller before anything else: one agent per state dir. */
  stateLock: StateLock;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** Retry timing of the sender (tests shorten it). */
  retry?: { initialMs?: number; maxMs?: number; authPauseMs?: number } | undefined;
  now?: () => Date;
  /** After each run, with its summary's metrics recorded (the textfile writer). */
  afterRun?: (metrics: AgentMetrics) => Promise<void>;
}

export interface Agent {
  readonly metrics: AgentMetrics;
  /** One cycle: a run, its report queued, the outbox drained once. For `agent --once`. */
  once(): Promise<{ run: CycleResult; sent: boolean }>;
  /** The service: a run now, then the schedules and watches, until stop(). */
  start(): void;
  /** A new config (SIGHUP, already validated): schedules, watches and sending rebuilt. */
  reload(config: Config): Promise<void>;
  /** Schedules and watches end, the current run finishes within `graceMs` or is aborted, sends end. */
  stop(graceMs: number): Promise<void>;
  status(): HealthState;
}

export async function openAgent(options: AgentOptions): Promise<Agent> {
  const { logger, stateLock } = options;
  const now = options.now ?? (() => new Date());
  let config = options.config;
  const stateDir = config.agent.stateDir;
  const metrics = createAgentMetrics({ sendFailureReasons: SEND_FAILURE_REASONS });
  const instanceId = await instanceIdOf(stateDir);
  const reporting: Reporting = await openReporting({
    config,
    logger,
    env: options.env,
    metrics,
    retry: options.retry,
  });
  const sequence = await openSequence(stateDir, { atLeast: reporting.highestSeq() });
  const last = createLastResults();
  let verdicts = new Map<string, Verdict>();
  let triggers: Triggers | undefined;
  const status: HealthState = {
    startedAt: Date.now(),
    outbox: reporting.depth(),
    staleAfterMs: 0,
  };
  let digest = configDigest(config);

  const delivery = createDelivery({
    outbox: () => reporting.outbox(),
    sequence,
    instanceId,
    configDigest: () => digest,
    nextRunAt: () => triggers?.nextRunAt() ?? null,
    queued: () => {
      status.outbox = reporting.depth();
      metrics.setOutbox(status.outbox);
      reporting.wake();
    },
    logger,
    now,
  });

  const execute = async (request: RunRequest, signal: AbortSignal): Promise<CycleResult> => {
    const started = performance.now();
    logger.info({ event: 'run-started', trigger: request.trigger, locations: request.locations }, 'run started');
    try {
      const run = await runCycle(request, { config, logger, last, stateLock, now, signal });
      const summary = await delivery.send(run.report, request.trigger);
      metrics.recordRun(summary, { trigger: request.trigger, durationSeconds: (performance.now() - started) / 1000 });
      const changed = verdictChanges(verdicts, run.report);
      verdicts = changed.verdicts;
      for (const change of changed.changes) logger.info({ event: 'verdict-changed', ...change }, 'verdict changed');
      status.lastRunAt = Date.now();
      status.lastSuccessAt = status.lastRunAt;
      status.lastResult = run.report.summary.verdict;
      logger.info(
        {
          event: 'run-finished',
          trigger: request.trigger,
          seq: summary.seq,
          reportId: summary.reportId,
          overall: run.report.summary.verdict,
          locationsRead: run.locationsRead,
          durationMs: run.durationMs,
        },
        'run finished',
      );
      return run;
    } catch (error) {
      status.lastRunAt = Date.now();
      status.lastResult = signal.aborted ? 'aborted' : 'failed';
      throw error;
    } finally {
      releaseRunMemory();
      await options.afterRun?.(metrics);
    }
  };

  const loop = createRunLoop({
    execute: async (request, signal) => {
      await execute(request, signal);
    },
    skipped: (request) => {
      metrics.runSkipped();
      logger.info(
        { event: 'run-skipped', trigger: request.trigger, running: loop.running()?.trigger },
        'a run was due while the last one still runs: skipped, a heartbeat sent instead',
      );
      delivery.heartbeat().catch((error: unknown) => logger.error({ err: error }, 'cannot queue the heartbeat'));
    },
    logger,
  });

  const arm = (): void => {
    triggers = startTriggers({ config, logger, request: (request) => loop.request(request) });
    status.staleAfterMs = triggers.staleAfterMs;
  };

  return {
    metrics,
    async once() {
      const run = await execute({ trigger: 'manual' }, new AbortController().signal);
      const sent = await reporting.drain();
      await reporting.stop();
      status.outbox = reporting.depth();
      metrics.setOutbox(status.outbox);
      return { run, sent };
    },
    start() {
      reporting.startSending();
      arm();
      loop.request({ trigger: 'schedule' });
    },
    async reload(next) {
      // First what can fail (a token file that went missing): the old config then stays whole.
      await reporting.reload(next);
      await triggers?.stop();
      config = next;
      digest = configDigest(config);
      // What was read was read for the old settings: the next run reads everything.
      last.clear();
      arm();
      loop.request({ trigger: 'schedule' });
    },
    async stop(graceMs) {
      await triggers?.stop();
      triggers = undefined;
      const ended = await loop.stop(graceMs);
      logger.info({ event: 'stopping', run: ended }, 'agent stopping');
      await reporting.stop();
    },
    status: () => ({ ...status, outbox: reporting.depth() }),
  };
}
