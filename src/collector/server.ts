// The collector's HTTP server (fastify): the API routes, the dashboard's plugins, /metrics and
// /healthz, the retention in the background, and a close that drains requests in flight.
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import { authenticator, type Identify } from './auth.js';
import type { BodyLimits } from './body.js';
import type { ApiContext } from './context.js';
import { errorReplier } from './errors-reply.js';
import { collectorMetrics } from './metrics.js';
import { apiProblem } from './problems.js';
import { DEFAULT_AUTH_FAILURE_LIMIT, DEFAULT_RATE_LIMIT, type RateLimit, rateLimiter } from './rate-limit.js';
import { startRetention, type Retention, type RetentionOptions } from './retention.js';
import { readRoutes } from './routes/read.js';
import { jsonBodyParser, reportRoutes } from './routes/reports.js';
import type { CollectorStore, PruneResult } from './store/types.js';
import { reportValidator } from './validate-report.js';

/** What a dashboard plugin is registered with. */
export interface PluginOptions {
  store: CollectorStore;
  silentAfterMs: number;
  now: () => number;
  auth: Identify;
}

export type CollectorPlugin = FastifyPluginAsync<PluginOptions>;

export const DEFAULT_SILENT_AFTER_MS = 2 * 3_600_000;
/** 2 MiB on the wire, 8 MiB of JSON: a summary report is bounded at a few hundred KB (src/report-schema). */
export const DEFAULT_BODY_LIMITS: BodyLimits = { wireBytes: 2 * 1024 * 1024, inflatedBytes: 8 * 1024 * 1024 };

export interface CollectorOptions {
  store: CollectorStore;
  listen: { host: string; port: number };
  logger: Logger;
  silentAfterMs?: number;
  bodyLimits?: Partial<BodyLimits>;
  rateLimit?: RateLimit;
  /** Requests without a valid token a client address may make (DEFAULT_AUTH_FAILURE_LIMIT). */
  authFailureLimit?: RateLimit;
  now?: () => number;
  /** Deletes reports older than keepMs in the background (never a latest state's report). */
  retention?: RetentionOptions;
  /** The dashboard: each registered with PluginOptions. */
  plugins?: CollectorPlugin[];
  /**
   * Addresses (IPs or CIDRs) of the reverse proxies that terminate TLS in front of the collector: from
   * them X-Forwarded-Proto and X-Forwarded-For are believed (cookies get Secure, the login limit and the
   * API's limit on requests without a valid token count the client's address). From anyone else they
   * are ignored.
   */
  trustProxy?: string[];
}

export interface Collector {
  address: { host: string; port: number };
  /** http://host:port (IPv6 in brackets). */
  url: string;
  /** One retention round now (null without --retention). */
  pruneNow(): Promise<PruneResult | null>;
  /** Refuses new requests with 503, waits for those in flight, stops the retention; the store stays open. */
  close(): Promise<void>;
}

const CLOSING_RETRY_AFTER_S = 2;

export async function startCollector(options: CollectorOptions): Promise<Collector> {
  const { store, logger } = options;
  const now = options.now ?? Date.now;
  const silentAfterMs = options.silentAfterMs ?? DEFAULT_SILENT_AFTER_MS;
  const { authenticate, identify } = authenticator(store);
  const metrics = collectorMetrics(
    () => store.fleet({ now: new Date(now()), silentAfterMs }),
    (error) => logger.error({ err: { message: (error as Error).message } }, 'the store failed: agents by status'),
  );
  const context: ApiContext = {
    store,
    logger,
    now,
    silentAfterMs,
    limits: { ...DEFAULT_BODY_LIMITS, ...options.bodyLimits },
    metrics,
    validate: reportValidator(),
    authenticate,
    rateLimiter: rateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT, now),
    authFailures: rateLimiter(options.authFailureLimit ?? DEFAULT_AUTH_FAILURE_LIMIT, now),
    identities: new WeakMap(),
  };
  // fastify's own logger stays off: our lines below carry no header, cookie or token.
  const app: FastifyInstance = Fastify({
    logger: false,
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    trustProxy: options.trustProxy?.length ? options.trustProxy : false,
  });
  let closing = false;
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close');
    throw apiProblem(
      503,
      { error: 'unavailable', message: 'the collector is stopping; try again (another collector may answer)' },
      { 'retry-after': String(CLOSING_RETRY_AFTER_S) },
    );
  });
  app.addHook('onResponse', async (request, reply) => {
    const line = {
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      tokenId: context.identities.get(request)?.tokenId,
    };
    if (reply.statusCode >= 500) logger.warn(line, 'request answered');
    else logger.debug(line, 'request answered');
  });
  app.setErrorHandler(errorReplier(logger, metrics));
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'not-found', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', jsonBodyParser(context));
  await reportRoutes(app, context);
  await readRoutes(app, context);
  for (const plugin of options.plugins ?? []) {
    await app.register(plugin, { store, silentAfterMs, now, auth: { identify } });
  }
  await app.listen({ host: options.listen.host, port: options.listen.port });
  const bound = app.server.address() as AddressInfo;
  const address = { host: bound.address, port: bound.port };
  const retention: Retention | undefined = options.retention
    ? startRetention(store, options.retention, {
        now,
        logger,
        pruned: (n) => metrics.pruned(n),
        failed: () => metrics.storeError('prune'),
      })
    : undefined;
  logger.info({ address, backend: store.backend, silentAfterMs, limits: context.limits }, 'collector listening');
  return {
    address,
    url: `http://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`,
    pruneNow: async () => (retention ? retention.runOnce() : null),
    close: async () => {
      closing = true;
      await retention?.stop();
      await app.close();
    },
  };
}
