// A fleet for the dashboard's tests: real summary reports (the demo's, varied) in a real SQLite store,
// the dashboard plugin in a small fastify app, and an auth over the store's tokens as the collector's
// server gives it (Bearer header or the b321_session cookie). The server's own auth replaces it there.
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Test } from 'tap';
import { type DashboardAuth, dashboardPlugin } from '../../src/collector/dashboard/plugin.js';
import { receivedBody } from '../../src/collector/store/body.js';
import { openStore } from '../../src/collector/store/open.js';
import type { CollectorStore } from '../../src/collector/store/types.js';
import type { SummaryReport } from '../../src/report-schema/types.js';
import { silent } from './store-backends.js';
import { HOUR, MINUTE, T0, type Variation, vary } from './store-fixture.js';

export const NOW = T0.getTime() + HOUR;
export const SILENT_AFTER_MS = 2 * HOUR;
export const XSS = '<img src=x onerror=alert(1)>';
const DAY = 24 * HOUR;

export function tokenAuth(store: CollectorStore): DashboardAuth {
  return {
    async identify(request: FastifyRequest) {
      const header = request.headers.authorization;
      const bearer = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : null;
      const cookie = /(?:^|;\s*)b321_session=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
      const token = bearer ?? (cookie === undefined ? null : decodeURIComponent(cookie));
      if (token === null) return null;
      const found = await store.findToken(token);
      if (!found || found.revoked) return null;
      return { tokenId: found.id, kind: found.kind, subject: found.subject };
    },
  };
}

async function send(store: CollectorStore, report: SummaryReport): Promise<void> {
  const bytes = Buffer.byteLength(JSON.stringify(report));
  await store.ingest(report, receivedBody(report, bytes), {
    receivedAt: new Date(report.finishedAt),
    tokenId: 'tok_test',
  });
}

/**
 * web-ok compliant (with three days of history), db-offline non-compliant (its offline check fails),
 * old-silent silent (nothing for 5 h, silent after 2 h), gap-1 with seq 3–4 missing, re-1 reinstalled,
 * xss-1 with a dataset and host named like markup.
 */
export async function seedFleet(store: CollectorStore, base: SummaryReport): Promise<void> {
  const make = (v: Variation) => vary(base, v);
  const days = (n: number) => (n * DAY) / MINUTE;
  await send(store, make({ agentId: 'web-ok', seq: 1, at: -days(3), verdict: 'non-compliant', datasets: ['erp-db'] }));
  await send(store, make({ agentId: 'web-ok', seq: 2, at: -days(2), verdict: 'at-risk', datasets: ['erp-db'] }));
  await send(store, make({ agentId: 'web-ok', seq: 3, at: -days(1), datasets: ['erp-db'] }));
  await send(store, make({ agentId: 'web-ok', seq: 4, at: 50, datasets: ['erp-db'] }));
  await send(store, make({ agentId: 'db-offline', seq: 1, at: 40, datasets: ['mail'] }));
  await send(store, make({ agentId: 'old-silent', seq: 1, at: -240, datasets: ['erp-db'] }));
  for (const seq of [1, 2, 5]) await send(store, make({ agentId: 'gap-1', seq, at: 10 * seq, datasets: ['wiki'] }));
  await send(store, make({ agentId: 're-1', instanceId: 'instance-1', seq: 1, at: 10, datasets: ['erp-db'] }));
  await send(store, make({ agentId: 're-1', instanceId: 'instance-1', seq: 2, at: 20, datasets: ['erp-db'] }));
  await send(store, make({ agentId: 're-1', instanceId: 'instance-2', seq: 1, at: 30, datasets: ['erp-db'] }));
  const xss = make({ agentId: 'xss-1', seq: 1, at: 45, datasets: ['erp-db'], hostname: '<script>alert(2)</script>' });
  for (const dataset of xss.datasets) dataset.id = XSS;
  await send(store, xss);
}

export interface DashboardFixture {
  app: FastifyInstance;
  store: CollectorStore;
  readerToken: string;
  agentToken: string;
}

export async function dashboardApp(
  t: Test,
  base: () => SummaryReport,
  options: { pageSize?: number; seed?: boolean; trustProxy?: boolean } = {},
): Promise<DashboardFixture> {
  const store = await openStore(join(t.testdir(), 'collector.db'), { logger: silent, now: () => NOW });
  t.teardown(() => store.close());
  if (options.seed !== false) await seedFleet(store, base());
  const reader = await store.createToken({ kind: 'reader', subject: 'auditor' });
  const agent = await store.createToken({ kind: 'agent', subject: 'web-ok' });
  const app = Fastify({ logger: false, trustProxy: options.trustProxy ?? false });
  await app.register(dashboardPlugin, {
    store,
    silentAfterMs: SILENT_AFTER_MS,
    now: () => NOW,
    auth: tokenAuth(store),
    timeZone: 'Asia/Ho_Chi_Minh',
    collectorName: 'collector-test',
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
  });
  t.teardown(() => app.close());
  return { app, store, readerToken: reader.token, agentToken: agent.token };
}

/** The session cookie of a signed-in reader. */
export function session(token: string): { cookie: string } {
  return { cookie: `b321_session=${token}` };
}
