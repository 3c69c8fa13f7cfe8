// What starts the agent's runs: the two cron schedules, and the watches whose settled changes ask for
// a run of the changed locations. Built from one config; a SIGHUP stops them and builds new ones.
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import type { RunRequest } from './run-cycle.js';
import { createSchedule } from './schedule.js';
import { startWatch, type Watch } from './watch.js';
import { watchTargets } from './watch-targets.js';

export interface Triggers {
  /** When the next scheduled run is due. */
  nextRunAt(): Date | null;
  /** /healthz is unhealthy when no run succeeded for this long: twice the quick schedule's longest gap. */
  staleAfterMs: number;
  stop(): Promise<void>;
}

export interface TriggerOptions {
  config: Config;
  logger: Logger;
  request: (request: RunRequest) => void;
}

export function startTriggers({ config, logger, request }: TriggerOptions): Triggers {
  const schedule = createSchedule({
    verify: config.schedule.verify,
    deepVerify: config.schedule.deepVerify,
    ...(config.schedule.timezone ? { timezone: config.schedule.timezone } : {}),
    logger: logger.child({ component: 'schedule' }),
    onDue: (kind) => request({ trigger: kind }),
  });
  schedule.start();
  const watch: Watch = startWatch({
    targets: watchTargets(config),
    settleMs: config.watch.settleMs,
    logger: logger.child({ component: 'watch' }),
    onSettled: (change) => {
      logger.info({ event: 'change-settled', ...change }, 'a watched change settled');
      request({ trigger: 'watch', locations: change.locations, drillsChanged: change.drills });
    },
  });
  return {
    nextRunAt: () => schedule.nextRunAt(),
    staleAfterMs: 2 * schedule.intervalMs('schedule'),
    async stop() {
      schedule.stop();
      await watch.close();
    },
  };
}
