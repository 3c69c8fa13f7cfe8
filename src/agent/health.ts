// The agent's local HTTP endpoint: /healthz for a liveness probe, /metrics for Prometheus. Both
// answer from memory (no file read, no run waited for), so they stay fast while a deep run hashes.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { AgentMetrics } from './metrics.js';

export interface HealthState {
  /** When the agent started (ms since the epoch): before a first run, the grace is counted from here. */
  startedAt: number;
  /** When the last run finished, whatever its result. */
  lastRunAt?: number;
  /** When the last run that produced a report finished (any verdict: a non-compliant estate is a successful run). */
  lastSuccessAt?: number;
  /** The last run's result: the worst verdict, or why it produced no report. */
  lastResult?: string;
  outbox: { reports: number; bytes: number };
  /** Unhealthy when the last successful run (or the start, before one) is older than this: twice the schedule. */
  staleAfterMs: number;
}

export type HealthStatus = 'ok' | 'starting' | 'stale';

export interface HealthAnswer {
  healthy: boolean;
  body: {
    status: HealthStatus;
    lastRunAt: string | null;
    lastSuccessAt: string | null;
    lastResult: string | null;
    outbox: { reports: number; bytes: number };
    staleAfterSeconds: number;
  };
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** Healthy while the last successful run is recent enough; before the first, while the start is. */
export function healthOf(state: HealthState, now: number): HealthAnswer {
  const since = state.lastSuccessAt ?? state.startedAt;
  const healthy = now - since <= state.staleAfterMs;
  const status: HealthStatus = !healthy ? 'stale' : state.lastSuccessAt === undefined ? 'starting' : 'ok';
  return {
    healthy,
    body: {
      status,
      lastRunAt: iso(state.lastRunAt),
      lastSuccessAt: iso(state.lastSuccessAt),
      lastResult: state.lastResult ?? null,
      outbox: { reports: state.outbox.reports, bytes: state.outbox.bytes },
      staleAfterSeconds: state.staleAfterMs / 1000,
    },
  };
}

export interface HealthServerOptions {
  /** "host:port", "[::1]:port"; port 0 takes a free port. */
  listen: string;
  logger: Logger;
  metrics: Pick<AgentMetrics, 'page'>;
  health: () => HealthState;
  now?: () => number;
}

export interface HealthServer {
  address: { host: string; port: number };
  close(): Promise<void>;
}

/** "127.0.0.1:9321" → host and port; "[::1]:9321" → "::1" and 9321. */
export function parseListen(listen: string): { host: string; port: number } {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):([0-9]{1,5})$/.exec(listen);
  const port = Number(match?.[3]);
  if (!match || port > 65_535) {
    throw Object.assign(new Error(`health.listen: "${listen}" is not host:port`), { code: 'B321_HEALTH_LISTEN' });
  }
  return { host: (match[1] ?? match[2]) as string, port };
}

const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { logger, metrics, health, now = Date.now } = options;
  const { host, port } = parseListen(options.listen);

  const send = (res: ServerResponse, code: number, type: string, body: string) => {
    res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path !== '/healthz' && path !== '/metrics') return send(res, 404, 'text/plain', 'not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'text/plain', 'method not allowed\n');
    }
    if (path === '/healthz') {
      const { healthy, body } = healthOf(health(), now());
      return send(res, healthy ? 200 : 503, 'application/json', `${JSON.stringify(body)}\n`);
    }
    send(res, 200, PROMETHEUS_TEXT, await metrics.page());
  };

  // The request body is never read: neither path takes one.
  const server = createServer((req, res) => {
    answer(req, res).catch((error: unknown) => {
      logger.error({ event: 'health-request-failed', err: error, path: req.url }, 'health: a request failed');
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error\n');
      else res.destroy();
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const address = { host: bound.address, port: bound.port };
  logger.info({ event: 'health-listening', ...address }, `health: listening on ${options.listen}`);

  let closed: Promise<void> | undefined;
  return {
    address,
    // Once: a second close() (a shutdown path and a test's teardown) waits for the first.
    close: () => {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Prometheus keeps its scrape connection open: without this, close() waits for it.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
