// `backup321 agent`: the 24/7 service (systemd), or one cycle with --once (cron, tests).
import { runAgentService } from '../agent/service.js';
import { loadConfig } from '../config/load.js';
import { createServiceLogger } from '../logging.js';
import { COMMON_OPTIONS, configPath, durationOption, oneOf, parse } from './args.js';
import { LOG_LEVELS } from '../logging.js';
import { printOut } from './output.js';

export const AGENT_HELP = `Usage: backup321 agent [options]

Runs the verifier on the config's schedule (schedule.verify, schedule.deepVerify) and after watched
changes, sends each run's summary report to report.endpoint through a durable outbox in the state
dir, and answers /healthz and /metrics on health.listen. Logs are JSON lines on stdout.
Signals: SIGTERM/SIGINT stop (the current run finishes within --grace, else it is aborted);
SIGHUP reloads the config and the token file (an invalid config is refused, the old one stays).

Options:
  -c, --config FILE      config file (default $BACKUP321_CONFIG or /etc/backup321/agent.config.json)
      --once             one run, then send the outbox and exit: 0 when every report was delivered
                         (or no endpoint is set), 3 when some wait in the outbox or the run failed
      --grace TIME       how long a stop lets the current run finish (default 30s)
      --textfile DIR     after each run, write the /metrics page to DIR/backup321.prom (atomically),
                         for node_exporter's textfile collector
      --state-wait TIME  how long to wait while another process holds the state dir (default 60s)
      --retry-min TIME   first wait before sending again after a failure (default 1s)
      --retry-max TIME   longest wait between two attempts (default 5m)
      --log-level LEVEL  fatal, error, warn, info (default), debug, trace, silent
  -h, --help             this help
`;

export async function runAgentCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    ...COMMON_OPTIONS,
    once: { type: 'boolean' },
    grace: { type: 'string' },
    textfile: { type: 'string' },
    'state-wait': { type: 'string' },
    'retry-min': { type: 'string' },
    'retry-max': { type: 'string' },
  });
  if (values.help) {
    await printOut(AGENT_HELP);
    return 0;
  }
  const logger = createServiceLogger(oneOf('log-level', values['log-level'], LOG_LEVELS, 'info'));
  const configFile = configPath(values.config);
  const config = await loadConfig(configFile);
  const retryMin = durationOption('retry-min', values['retry-min']);
  const retryMax = durationOption('retry-max', values['retry-max']);
  return runAgentService({
    configFile,
    config,
    logger,
    env: process.env,
    graceMs: durationOption('grace', values.grace) ?? 30_000,
    once: values.once ?? false,
    textfileDir: values.textfile,
    stateWaitMs: durationOption('state-wait', values['state-wait']) ?? 60_000,
    retry: {
      ...(retryMin !== undefined ? { initialMs: retryMin } : {}),
      ...(retryMax !== undefined ? { maxMs: retryMax } : {}),
    },
  });
}
