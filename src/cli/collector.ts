// `backup321 collector`: the central collector's HTTP service (SQLite file or PostgreSQL), and
// `backup321 collector token create|list|revoke` (collector-token.ts). Exit 0 after SIGTERM/SIGINT,
// 3 on a usage, config or database error.
import { dashboardPlugins } from './dashboard-plugins.js';
import { startCollector } from '../collector/server.js';
import { openStore } from '../collector/store/open.js';
import { UsageError } from '../errors.js';
import { createServiceLogger, LOG_LEVELS } from '../logging.js';
import { msg } from '../messages/index.js';
import { durationOption, oneOf, parse } from './args.js';
import { DEFAULT_DB, runTokenCommand } from './collector-token.js';
import { printOut } from './output.js';

export const COLLECTOR_HELP = `Usage: backup321 collector [options]
       backup321 collector token create --db DB (--agent ID | --reader NAME)
       backup321 collector token list --db DB
       backup321 collector token revoke --db DB (--token-id ID | --agent ID)

Receives the agents' summary reports (POST /api/v1/reports) and serves the fleet's state
(/api/v1/…, /metrics, /healthz; docs/collector-api.md). Logs are JSON lines on stdout.
SIGTERM/SIGINT: new requests get 503, those in flight finish, the database is closed, exit 0.

Options:
      --db DB              a SQLite file (created on first start) or postgres://… (default ./collector.sqlite)
      --listen HOST:PORT   where to listen (default 127.0.0.1:8321; port 0 takes a free one)
      --retention TIME     delete reports received longer ago than this (e.g. 400d), in the background
      --silent-after TIME  an agent that sent nothing for this long is silent, non-compliant (default 2h)
      --log-level LEVEL    fatal, error, warn, info (default), debug, trace, silent
      --trust-proxy ADDRS  the TLS-terminating proxies (IPs or CIDRs, comma-separated) whose
                           X-Forwarded-Proto/-For are believed: cookies get Secure behind them
  -h, --help               this help
`;

export const DEFAULT_LISTEN = '127.0.0.1:8321';

/** "127.0.0.1:8321" → host and port; "[::1]:8321" → "::1" and 8321. */
export function listenOption(value: string): { host: string; port: number } {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):([0-9]{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (!match || port > 65_535) {
    throw new UsageError(
      msg('usage.arguments', { text: `--listen must be HOST:PORT, such as 127.0.0.1:8321 (got "${value}")` }),
    );
  }
  return { host: (match[1] ?? match[2]) as string, port };
}

export async function runCollectorCommand(args: string[]): Promise<number> {
  if (args[0] === 'token') return runTokenCommand(args.slice(1));
  const { values } = parse(args, {
    db: { type: 'string' },
    listen: { type: 'string' },
    retention: { type: 'string' },
    'silent-after': { type: 'string' },
    'log-level': { type: 'string' },
    'trust-proxy': { type: 'string' },
    lang: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    await printOut(COLLECTOR_HELP);
    return 0;
  }
  const logger = createServiceLogger(oneOf('log-level', values['log-level'], LOG_LEVELS, 'info'));
  const listen = listenOption(values.listen ?? DEFAULT_LISTEN);
  const retentionMs = durationOption('retention', values.retention);
  if (retentionMs === 0)
    throw new UsageError(
      msg('usage.arguments', { text: '--retention 0 would delete every report: give a duration such as 400d' }),
    );
  const silentAfterMs = durationOption('silent-after', values['silent-after']);
  if (silentAfterMs === 0) throw new UsageError(msg('usage.arguments', { text: '--silent-after must be more than 0' }));
  const trustProxy = (values['trust-proxy'] ?? '')
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean);
  const store = await openStore(values.db ?? DEFAULT_DB, { logger });
  let collector: Awaited<ReturnType<typeof startCollector>>;
  try {
    collector = await startCollector({
      store,
      listen,
      logger,
      ...(silentAfterMs === undefined ? {} : { silentAfterMs }),
      ...(retentionMs === undefined ? {} : { retention: { keepMs: retentionMs } }),
      plugins: await dashboardPlugins(),
      ...(trustProxy.length ? { trustProxy } : {}),
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({ signal }, 'stopping: finishing the requests in flight');
  await collector.close();
  await store.close();
  logger.info('collector stopped');
  return 0;
}
