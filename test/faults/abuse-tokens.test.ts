// Fault suite, abuse of the collector: tokens. Every route that needs a token refuses a missing,
// malformed, unknown or revoked one (401/403) and stores nothing; an agent's token never writes or
// reads another agent's reports; and the real agent sender, whose token was revoked, pauses instead
// of spinning: over a window it makes at most one request per send slot, keeps every report, and
// sends them once its token file holds a valid token again.
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pino from 'pino';
import t from 'tap';
import { openOutbox } from '../../src/agent/outbox.js';
import { createSender } from '../../src/agent/sender.js';
import { API_ROUTES } from '../../src/collector/api-routes.js';
import { type Answer, exchange, startApi } from '../collector/api-fixture.js';
import { sqliteBackend } from '../collector/store-backends.js';
import { demoBase, vary } from '../collector/store-fixture.js';
import { until } from '../agent/fixtures.js';

const base = demoBase(t);
const make = (agentId: string, seq: number) => vary(base(), { agentId, seq });

t.test('missing, malformed, unknown and revoked tokens are refused on every route', async (t) => {
  // Each kind of bad token's own answer, from one address: its 401s are not held back here
  // (abuse-flood.test.ts has the limit on an address's failures).
  const api = await startApi(t, sqliteBackend, { authFailureLimit: { burst: 10_000, perSecond: 0 } });
  const revokedAgent = await api.store.createToken({ kind: 'agent', subject: 'agent-1' });
  const revokedReader = await api.store.createToken({ kind: 'reader', subject: 'former' });
  await api.store.revokeToken({ id: revokedAgent.id });
  await api.store.revokeToken({ id: revokedReader.id });
  const report = Buffer.from(JSON.stringify(make('agent-1', 1)));
  const attempts: Array<[string, Record<string, string>, number]> = [
    ['no Authorization', {}, 401],
    ['an empty Bearer', { authorization: 'Bearer ' }, 401],
    ['Basic credentials', { authorization: 'Basic dXNlcjpwYXNz' }, 401],
    ['a token not of our shape', { authorization: 'Bearer hunter2' }, 401],
    ['an unknown agent-shaped token', { authorization: `Bearer b321a_${'A'.repeat(43)}` }, 401],
    ['an unknown reader-shaped token', { authorization: `Bearer b321r_${'B'.repeat(43)}` }, 401],
    ['a valid token with junk after it', { authorization: `Bearer ${api.tokens.reader}x` }, 401],
    ['two tokens', { authorization: `Bearer ${api.tokens.reader} ${api.tokens.agent}` }, 401],
    ['a revoked agent token', { authorization: `Bearer ${revokedAgent.token}` }, 403],
    ['a revoked reader token', { authorization: `Bearer ${revokedReader.token}` }, 403],
  ];
  const routes = API_ROUTES.filter((route) => route.access !== 'public');
  let refused = 0;
  for (const route of routes) {
    const path = route.url.replace(':id', 'agent-1').replace(':reportId', 'agent-1-report');
    for (const [what, headers, status] of attempts) {
      const answer: Answer = await exchange(`${api.collector.url}${path}`, {
        method: route.method,
        headers: { ...headers, ...(route.method === 'POST' ? { 'content-type': 'application/json' } : {}) },
        ...(route.method === 'POST' ? { body: report } : {}),
      });
      t.equal(answer.status, status, `${route.method} ${route.url}, ${what}: ${status}`);
      if (status === 401) t.match(answer.headers['www-authenticate'], /^Bearer/, 'says how to authenticate');
      t.notOk(answer.text.includes('b321'), 'no token echoed');
      if (answer.status === status) refused++;
    }
  }
  // The session cookie authorises reading only: never a POST, not even with a valid agent token.
  const cookie = await api.post(report, { token: null, headers: { cookie: `b321_session=${api.tokens.agent}` } });
  t.equal(cookie.status, 401, 'a cookie never authorises a POST');
  t.equal((await api.store.reports('agent-1', { limit: 10 })).reports.length, 0, 'nothing was stored');
  for (const token of [...Object.values(api.tokens), revokedAgent.token, revokedReader.token]) {
    t.notOk(api.logText().includes(token), 'no token in the log');
  }
  t.comment(
    `token refusals: ${refused} of ${routes.length * attempts.length} (${routes.length} routes × ${attempts.length} kinds of bad token), plus the cookie POST`,
  );
});

t.test("an agent's token cannot write or read as another agent", async (t) => {
  const api = await startApi(t, sqliteBackend);
  const own = make('agent-1', 1);
  t.equal((await api.post(own)).status, 201, "agent-1's own report");
  const attempts: Array<[string, unknown, string]> = [
    ["agent-1's token, agent-2's report", make('agent-2', 1), api.tokens.agent],
    ["agent-2's token, agent-1's next report", make('agent-1', 2), api.tokens.otherAgent],
    // The same reportId with another body would be a 409 from its owner: from anyone else a 403.
    ["agent-2's token, agent-1's stored reportId rewritten", { ...own, trigger: 'manual' }, api.tokens.otherAgent],
    ["a reader's token, agent-1's report", make('agent-1', 3), api.tokens.reader],
  ];
  for (const [what, report, token] of attempts) {
    const answer = await api.post(JSON.stringify(report), { token });
    t.equal(answer.status, 403, what);
    t.equal(answer.json().error, 'forbidden', what);
  }
  const path = (await api.post(make('agent-2', 1))).json();
  t.match(path, { error: 'forbidden', path: '/agent/id' }, 'the refusal names /agent/id');
  t.equal((await api.get('/api/v1/agents/agent-2', api.tokens.agent)).status, 403, 'agent-1 cannot read agent-2');
  t.equal((await api.get('/api/v1/agents/agent-2/reports', api.tokens.agent)).status, 403);
  t.equal((await api.get('/api/v1/agents', api.tokens.agent)).status, 403, 'nor the list of agents');
  const stored = await api.store.reports('agent-1', { limit: 10 });
  t.same(
    stored.reports.map((r) => r.seq),
    [1],
    'agent-1 has only its own report',
  );
  t.equal((await api.store.report(own.reportId))?.trigger, 'schedule', 'its body was not rewritten');
  t.equal((await api.store.reports('agent-2', { limit: 10 })).reports.length, 0, 'agent-2 has none');
  t.comment(`reports refused as another agent's: ${attempts.length + 1}; reads of another agent refused: 3`);
});

t.test('the real sender with a revoked token pauses instead of spinning, and loses nothing', async (t) => {
  let requests = 0;
  const api = await startApi(t, sqliteBackend, { onTokenLookup: () => requests++ });
  const logger = pino({ level: 'silent' });
  const outbox = await openOutbox({
    dir: join(t.testdir(), 'outbox'),
    maxReports: 100,
    maxBytes: 2 ** 30,
    logger,
  });
  let seq = 0;
  const queue = async () => {
    seq++;
    const report = vary(base(), { agentId: 'agent-1', seq, reportId: `agent-1-instance-1-${seq}` });
    await outbox.add({ reportId: report.reportId, seq, build: () => JSON.stringify(report) });
  };
  for (let i = 0; i < 5; i++) await queue();
  await api.store.revokeToken({ id: api.tokenIds.agent });
  let token = api.tokens.agent;
  const paused: Array<number | undefined> = [];
  const sent: number[] = [];
  const window = 3;
  // The product's own backoff and real timers: nothing here waits less than the agent would.
  const sender = createSender({
    outbox,
    endpoint: `${api.collector.url}/api/v1/reports`,
    token: () => token,
    logger,
    window,
    events: { paused: (status) => paused.push(status), sent: (entry) => sent.push(entry.seq) },
  });
  t.teardown(() => sender.stop());
  sender.wake();
  await until(() => paused.length > 0, 'the sender paused');
  t.same(paused, [403], 'paused on the 403');
  // For 3 s the agent goes on working as usual: a new report and a wake every 100 ms.
  const windowMs = 3_000;
  const start = Date.now();
  let wakes = 0;
  while (Date.now() - start < windowMs) {
    await queue();
    sender.wake();
    wakes++;
    await delay(100);
  }
  t.ok(requests >= 1 && requests <= window, `at most one request per send slot (${requests})`);
  const status = sender.status();
  t.ok((status.pausedUntil ?? 0) - Date.now() > 50 * 60_000, 'paused for the hour the backoff says');
  t.equal(outbox.depth().reports, seq, 'every report is still in the outbox');
  t.comment(
    `revoked token: ${requests} request(s) over a ${windowMs / 1000} s window with ${wakes} wakes and ${seq} reports queued (send window ${window}); paused for ${Math.round(((status.pausedUntil ?? 0) - Date.now()) / 60_000)} min`,
  );
  // A new token in the token file ends the pause at the next wake: everything is delivered.
  token = (await api.store.createToken({ kind: 'agent', subject: 'agent-1' })).token;
  sender.wake();
  await until(() => sent.length === seq, 'all sent with the new token');
  t.equal((await api.store.reports('agent-1', { limit: 100 })).reports.length, seq, 'all stored');
});
