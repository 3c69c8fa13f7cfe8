// The agent as a process: the state dir's lock, systemd's notify socket, /healthz and /metrics, the
// signals (SIGTERM/SIGINT stop within the grace, SIGHUP reloads), and `--once`.
import { mkdir } from 'node:fs/promises';
import type { Logger } from 'pino';
import { loadConfigWithProblems } from '../config/load.js';
import type { Config } from '../config/types.js';
import { lockStateDir } from '../state/state-lock.js';
import { openAgent } from './agent.js';
import { startHealthServer, type HealthServer } from './health.js';
import { startSystemdNotify } from './systemd-notify.js';
import { writeTextfile } from './textfile.js';

export interface ServiceOptions {
  configFile: string;
  config: Config;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  graceMs: number;
  once: boolean;
  textfileDir?: string | undefined;
  retry?: { initialMs?: number; maxMs?: number } | undefined;
  /** How long to wait for the state dir held by another process (a `verify` by hand ends; an agent does not). */
  stateWaitMs: number;
  /** The process's signals; tests of the service in-process pass an emitter of their own. */
  signals?: NodeJS.EventEmitter;
}

export class StateDirBusyError extends Error {
  readonly code = 'B321_STATE_DIR_BUSY';
  constructor(stateDir: string, holder: string) {
    super(`the state dir ${stateDir} is held by ${holder}: one agent per state dir`);
    this.name = 'StateDirBusyError';
  }
}

/** Runs the agent until it is stopped (or for one cycle); resolves with the exit code. */
export async function runAgentService(options: ServiceOptions): Promise<number> {
  const { logger, env } = options;
  const stateDir = options.config.agent.stateDir;
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  // Before any backup is read: the relay is a child process, and no process may start once a
  // thread could be stuck on a dead mount (see systemd-notify.ts).
  const notify = startSystemdNotify({ env, logger: logger.child({ component: 'systemd' }) });
  const attempt = await lockStateDir(stateDir, {
    purpose: options.once ? 'agent --once' : 'agent',
    waitMs: options.stateWaitMs,
  });
  if (!attempt.lock) {
    await notify.close();
    const holder = attempt.heldBy;
    throw new StateDirBusyError(
      stateDir,
      holder ? `${holder.purpose} (pid ${holder.pid} on ${holder.host})` : 'another process',
    );
  }
  const stateLock = attempt.lock;
  const textfileDir = options.textfileDir;
  const agent = await openAgent({
    config: options.config,
    stateLock,
    logger,
    env,
    retry: options.retry,
    ...(textfileDir
      ? {
          afterRun: async (metrics) => {
            await writeTextfile(textfileDir, await metrics.page()).catch((error: unknown) =>
              logger.warn({ err: error, dir: textfileDir }, 'cannot write the metrics textfile'),
            );
          },
        }
      : {}),
  });
  let health: HealthServer | undefined;
  try {
    if (options.once) {
      const { run, sent } = await agent.once();
      logger.info({ event: 'once-done', overall: run.report.summary.verdict, sent }, 'one cycle done');
      return sent ? 0 : 3;
    }
    const listen = options.config.health.listen;
    if (listen) {
      health = await startHealthServer({
        listen: `${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${listen.port}`,
        logger: logger.child({ component: 'health' }),
        metrics: agent.metrics,
        health: () => agent.status(),
      });
    }
    agent.start();
    notify.ready();
    logger.info({ event: 'started', stateDir, health: health?.address }, 'agent started');
    await untilStopped(options, agent, notify);
    return 0;
  } finally {
    await health?.close();
    await notify.close();
    await stateLock.release();
  }
}

/** Waits for SIGTERM or SIGINT, reloading on SIGHUP meanwhile; then stops the agent within the grace. */
function untilStopped(
  options: ServiceOptions,
  agent: Awaited<ReturnType<typeof openAgent>>,
  notify: ReturnType<typeof startSystemdNotify>,
): Promise<void> {
  const signals = options.signals ?? process;
  const { logger } = options;
  let current = options.config;
  let reloading = Promise.resolve();
  return new Promise((resolve) => {
    const reload = () => {
      reloading = reloading
        .then(async () => {
          const { config, problems } = await loadConfigWithProblems(options.configFile, options.env);
          const errors = problems.filter((problem) => problem.severity === 'error');
          if (!config || errors.length > 0) {
            for (const problem of errors)
              logger.error({ event: 'reload-refused', path: problem.path, hint: problem.hint }, problem.message);
            logger.error(
              { event: 'reload-refused', file: options.configFile },
              'the new config is invalid: the old one stays',
            );
            return;
          }
          if (config.agent.stateDir !== current.agent.stateDir) {
            logger.error(
              { event: 'reload-refused', path: 'agent.stateDir' },
              'agent.stateDir cannot change on reload: restart the agent',
            );
            return;
          }
          await agent.reload(config).catch((error: unknown) => {
            logger.error({ event: 'reload-refused', err: error }, 'cannot apply the new config: the old one stays');
            throw error;
          });
          current = config;
          logger.info({ event: 'reloaded', file: options.configFile }, 'config reloaded');
        })
        .catch(() => undefined);
    };
    const stop = (signal: string) => {
      signals.off('SIGHUP', reload);
      signals.off('SIGTERM', onTerm);
      signals.off('SIGINT', onInt);
      notify.stopping();
      logger.info({ event: 'signal', signal, graceMs: options.graceMs }, 'stopping');
      reloading
        .then(() => agent.stop(options.graceMs))
        .then(resolve, (error: unknown) => {
          logger.error({ err: error }, 'error while stopping');
          resolve();
        });
    };
    const onTerm = () => stop('SIGTERM');
    const onInt = () => stop('SIGINT');
    signals.on('SIGHUP', reload);
    signals.on('SIGTERM', onTerm);
    signals.on('SIGINT', onInt);
  });
}
