// /healthz and /metrics on a real HTTP server: healthy while the last successful run is recent, 503
// once it is older than twice the schedule (the clock is the test's), only two paths, closed cleanly.
import { request } from 'node:http';
import pino from 'pino';
import t, { type Test } from 'tap';
import { type HealthState, healthOf, parseListen, startHealthServer } from '../../src/agent/health.js';
import { createAgentMetrics } from '../../src/agent/metrics.js';
import { promtool, sample } from './promtool.js';

const logger = pino({ level: 'silent' });
const T0 = Date.parse('2026-12-06T10:00:00Z');
const MINUTE = 60_000;

/** An agent's state and clock the test moves by hand, and its server on a free port. */
async function agentServer(t: Test) {
  const clock = { now: T0 };
  const state: HealthState = { startedAt: T0, outbox: { reports: 0, bytes: 0 }, staleAfterMs: 30 * MINUTE };
  const metrics = createAgentMetrics();
  const server = await startHealthServer({
    listen: '127.0.0.1:0',
    logger,
    metrics,
    health: () => state,
    now: () => clock.now,
  });
  t.teardown(() => server.close());
  const url = (path: string) => `http://127.0.0.1:${server.address.port}${path}`;
  const healthz = async () => {
    const response = await fetch(url('/healthz'));
    return { code: response.status, body: await response.json() };
  };
  return { clock, state, metrics, server, url, healthz };
}

t.test('no run yet: healthy during the grace after start-up, 503 once it is over', async (t) => {
  const { clock, healthz } = await agentServer(t);
  t.match(await healthz(), { code: 200, body: { status: 'starting', lastRunAt: null, lastSuccessAt: null } });
  clock.now = T0 + 30 * MINUTE;
  t.equal((await healthz()).code, 200, 'the grace is staleAfter, inclusive');
  clock.now = T0 + 30 * MINUTE + 1;
  t.match(await healthz(), { code: 503, body: { status: 'stale', lastSuccessAt: null } });
});

t.test('200 with the last run, its result and the outbox; 503 when the last success is too old', async (t) => {
  const { clock, state, healthz } = await agentServer(t);
  clock.now = T0 + 20 * MINUTE;
  Object.assign(state, {
    lastRunAt: T0 + 15 * MINUTE,
    lastSuccessAt: T0 + 15 * MINUTE,
    lastResult: 'non-compliant',
    outbox: { reports: 2, bytes: 2048 },
  });
  t.same(await healthz(), {
    code: 200,
    body: {
      status: 'ok',
      lastRunAt: '2026-12-06T10:15:00.000Z',
      lastSuccessAt: '2026-12-06T10:15:00.000Z',
      lastResult: 'non-compliant',
      outbox: { reports: 2, bytes: 2048 },
      staleAfterSeconds: 1800,
    },
  });
  // Runs keep failing after that one: the last run is recent, the last success is not.
  clock.now = T0 + 50 * MINUTE;
  state.lastRunAt = T0 + 45 * MINUTE;
  state.lastResult = 'failed';
  t.match(await healthz(), {
    code: 503,
    body: { status: 'stale', lastRunAt: '2026-12-06T10:45:00.000Z', lastResult: 'failed' },
  });
  state.lastSuccessAt = T0 + 46 * MINUTE;
  t.match(await healthz(), { code: 200, body: { status: 'ok' } }, 'a success makes it healthy again');
});

t.test('/metrics: the registry page in Prometheus text format, accepted by promtool', async (t) => {
  const { metrics, url } = await agentServer(t);
  metrics.setOutbox({ reports: 4, bytes: 100 });
  const response = await fetch(url('/metrics?ignored=1'));
  t.equal(response.status, 200);
  t.match(response.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const page = await response.text();
  t.equal(page, await metrics.page());
  t.equal(sample(page, 'backup321_outbox_reports'), 4);
  const check = promtool(['check', 'metrics'], page);
  t.equal(check.code, 0, check.output);
});

t.test('only GET and HEAD of /healthz and /metrics: 404 elsewhere, 405 for another method', async (t) => {
  const { url } = await agentServer(t);
  for (const path of ['/', '/healthz/', '/metricsx', '/debug/pprof']) {
    t.equal((await fetch(url(path))).status, 404, path);
  }
  const post = await fetch(url('/metrics'), { method: 'POST', body: 'x'.repeat(1 << 20) });
  t.equal(post.status, 405, 'a body is refused without being read');
  t.equal(post.headers.get('allow'), 'GET, HEAD');
  const head = await fetch(url('/healthz'), { method: 'HEAD' });
  t.equal(head.status, 200);
  t.equal(await head.text(), '');
});

t.test('close() ends kept-alive connections instead of waiting for them', async (t) => {
  const { server } = await agentServer(t);
  const { port } = server.address;
  await new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', headers: { connection: 'keep-alive' } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
  await server.close();
  await t.rejects(fetch(`http://127.0.0.1:${port}/healthz`), 'nothing answers after close');
});

t.test('a port in use is refused with the error listen gave', async (t) => {
  const { server } = await agentServer(t);
  await t.rejects(
    startHealthServer({
      listen: `127.0.0.1:${server.address.port}`,
      logger,
      metrics: createAgentMetrics(),
      health: () => healthOfNothing,
    }),
    { code: 'EADDRINUSE' },
  );
});
const healthOfNothing: HealthState = { startedAt: 0, outbox: { reports: 0, bytes: 0 }, staleAfterMs: 1 };

t.test('health.listen: host:port, [v6]:port; anything else is refused with its code', async (t) => {
  t.same(parseListen('127.0.0.1:9321'), { host: '127.0.0.1', port: 9321 });
  t.same(parseListen('[::1]:0'), { host: '::1', port: 0 });
  t.same(parseListen('localhost:80'), { host: 'localhost', port: 80 });
  for (const bad of ['9321', '127.0.0.1', '127.0.0.1:65536', ':9321', '::1:9321', 'host:port']) {
    t.throws(() => parseListen(bad), { code: 'B321_HEALTH_LISTEN' }, bad);
  }
});

t.test('healthOf is the answer without a server', async (t) => {
  t.match(healthOf({ ...healthOfNothing, lastSuccessAt: 10 }, 11), { healthy: true, body: { status: 'ok' } });
  t.match(healthOf({ ...healthOfNothing, lastSuccessAt: 10 }, 12), { healthy: false, body: { status: 'stale' } });
});
