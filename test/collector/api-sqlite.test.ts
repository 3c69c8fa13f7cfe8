// The collector's HTTP API over a real SQLite file: the shared suites, and what does not depend on
// the back end: the rate limit, /metrics through promtool, and a close that drains requests in flight.
import t from 'tap';
import { promtool, sample } from '../agent/promtool.js';
import { exchange, startApi } from './api-fixture.js';
import { ingestSuite } from './api-suite-ingest.js';
import { pagingSuite } from './api-suite-paging.js';
import { readSuite } from './api-suite-read.js';
import { sqliteBackend } from './store-backends.js';
import { demoBase, vary } from './store-fixture.js';

const base = demoBase(t);
ingestSuite(t, sqliteBackend, base);
readSuite(t, sqliteBackend, base);
pagingSuite(t, sqliteBackend, base);

t.test('429 with Retry-After once a token spent its bucket; other tokens go on; it refills with time', async (t) => {
  const api = await startApi(t, sqliteBackend, { rateLimit: { burst: 3, perSecond: 0.5 } });
  for (let i = 0; i < 3; i++) t.equal((await api.get('/api/v1/fleet')).status, 200);
  const limited = await api.get('/api/v1/fleet');
  t.equal(limited.status, 429);
  t.equal(limited.headers['retry-after'], '2');
  t.equal(limited.json().error, 'rate-limited');
  const report = vary(base(), { agentId: 'agent-1', seq: 1 });
  t.equal((await api.post(report)).status, 201, "the agent's token has its own bucket");
  api.clock.at += 2000;
  t.equal((await api.get('/api/v1/fleet')).status, 200, 'one earned back after 2 s');
  t.equal((await api.get('/api/v1/fleet')).status, 429);
});

t.test('/metrics: promtool accepts it; ingest outcomes, latency and agents by status', async (t) => {
  const api = await startApi(t, sqliteBackend);
  const report = vary(base(), { agentId: 'agent-1', seq: 1, verdict: 'at-risk' });
  await api.post(report);
  await api.post(report);
  await api.post(report, { token: api.tokens.otherAgent });
  const page = await api.get('/metrics');
  t.equal(page.status, 200);
  const check = promtool(['check', 'metrics'], page.text);
  t.equal(check.code, 0, check.output);
  t.equal(sample(page.text, 'backup321_collector_ingest_total{outcome="stored"}'), 1);
  t.equal(sample(page.text, 'backup321_collector_ingest_total{outcome="duplicate"}'), 1);
  t.equal(sample(page.text, 'backup321_collector_ingest_total{outcome="forbidden"}'), 1);
  t.equal(sample(page.text, 'backup321_collector_ingest_duration_seconds_count{outcome="stored"}'), 1);
  t.equal(sample(page.text, 'backup321_collector_agents{status="at-risk"}'), 1);
  t.equal(sample(page.text, 'backup321_collector_agents{status="silent"}'), 0);
  t.equal(sample(page.text, 'backup321_collector_store_errors_total{operation="ingest"}'), 0);
});

t.test('close() answers the request in flight, then stops; the report is stored', async (t) => {
  let lookedUp: () => void = () => undefined;
  const inServer = new Promise<void>((resolve) => {
    lookedUp = resolve;
  });
  const api = await startApi(t, sqliteBackend, { onTokenLookup: () => lookedUp() });
  const body = Buffer.from(JSON.stringify(vary(base(), { agentId: 'agent-1', seq: 1 })));
  let release: () => void = () => undefined;
  const rest = new Promise<void>((resolve) => {
    release = resolve;
  });
  const inFlight = exchange(`${api.collector.url}/api/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${api.tokens.agent}` },
    chunks: (async function* () {
      yield body.subarray(0, 100);
      await rest;
      yield body.subarray(100);
    })(),
  });
  // The request is in the server once its guard looks the token up (its headers were read).
  await inServer;
  const closed = api.collector.close();
  release();
  const answer = await inFlight;
  await closed;
  t.equal(answer.status, 201, 'the request in flight was answered');
  t.equal((await api.store.reports('agent-1', { limit: 5 })).reports.length, 1);
  await t.rejects(exchange(`${api.collector.url}/healthz`, { method: 'GET' }), 'no longer listening');
});
