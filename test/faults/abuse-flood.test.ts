// Fault suite, abuse of the collector: a flood. One agent's token sending far more than its bucket
// gets 429 with Retry-After for the excess, while another agent's reports sent during the flood are
// all stored (201) and a reader still reads; an address sending unknown tokens gets 429 after a burst
// of 401s, without a token lookup, while valid tokens from other addresses are served (SQLite and
// PostgreSQL). Statuses are asserted, never timings. The collector's clock is held still, so no
// request is earned back during a flood and the counts are exact.
import t from 'tap';
import { DEFAULT_AUTH_FAILURE_LIMIT, DEFAULT_RATE_LIMIT } from '../../src/collector/rate-limit.js';
import { startApi } from '../collector/api-fixture.js';
import { type Backend, postgresBackend, sqliteBackend, whenPostgres } from '../collector/store-backends.js';
import { demoBase, vary } from '../collector/store-fixture.js';
import { until } from '../agent/fixtures.js';

const base = demoBase(t);

/** Runs `count` calls of `one` with at most `parallel` in flight; their results in order. */
async function pooled<T>(count: number, parallel: number, one: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await one(i);
      }
    }),
  );
  return results;
}

function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}

t.test('a flood from one token gets 429; another token is served 201 during it', async (t) => {
  const api = await startApi(t, sqliteBackend);
  const { burst } = DEFAULT_RATE_LIMIT;
  const report = vary(base(), { agentId: 'agent-1', seq: 1 });
  const retryAfter = new Set<string>();
  const statuses: number[] = [];
  let othersDone = false;
  // The flood runs from before the other agent's first request until after its last one.
  const flooding = Promise.all(
    Array.from({ length: 24 }, async () => {
      while (!othersDone || statuses.length < 5 * burst) {
        const answer = await api.post(report);
        if (answer.status === 429) retryAfter.add(String(answer.headers['retry-after']));
        statuses.push(answer.status);
      }
    }),
  );
  await until(() => statuses.includes(429), 'the flooding token is refused');
  const others: number[] = [];
  const reads: number[] = [];
  for (let seq = 1; seq <= 20; seq++) {
    others.push((await api.post(vary(base(), { agentId: 'agent-2', seq }), { token: api.tokens.otherAgent })).status);
    reads.push((await api.get('/api/v1/fleet')).status);
  }
  const floodBeforeLastOther = statuses.length;
  othersDone = true;
  await flooding;
  const flood = statuses.length;
  const counts = tally(statuses);
  t.ok(flood > floodBeforeLastOther, 'the flood went on after the last of the other requests');
  t.equal(counts[429], flood - burst, `all but the burst of ${burst} refused with 429`);
  t.equal((counts[201] ?? 0) + (counts[200] ?? 0), burst, 'the burst served (one stored, the rest duplicates)');
  t.equal(counts[201], 1);
  t.ok(
    [...retryAfter].every((s) => /^[1-9]\d*$/.test(s)),
    'every 429 says when to retry',
  );
  t.same(tally(others), { 201: 20 }, "the other agent's 20 reports, sent during the flood, were all stored");
  t.same(tally(reads), { 200: 20 }, "the reader's 20 reads during the flood were all served");
  t.equal((await api.store.reports('agent-2', { limit: 50 })).reports.length, 20);
  // Time earns requests back: 1 s later the flooding token may send again.
  api.clock.at += 1000;
  t.equal((await api.post(vary(base(), { agentId: 'agent-1', seq: 2 }))).status, 201, 'served again after Retry-After');
  t.comment(
    `flood of ${flood} requests from one token (burst ${burst}, ${DEFAULT_RATE_LIMIT.perSecond}/s, clock held): ${counts[429]} × 429 (Retry-After ${[...retryAfter].join(', ')} s), ${burst} served; during it another token: ${others.length} × 201, a reader: ${reads.length} × 200`,
  );
});

/** Requests without a valid token from one address get DEFAULT_AUTH_FAILURE_LIMIT.burst 401s, then 429. */
function failedAuthFlood(backend: Backend) {
  t.test(
    `${backend.name}: a flood of unknown tokens from one address: 429 after the burst, others served`,
    async (t) => {
      let lookups = 0;
      const api = await startApi(t, backend, { trustProxy: ['127.0.0.1'], onTokenLookup: () => lookups++ });
      const { burst } = DEFAULT_AUTH_FAILURE_LIMIT;
      const guesser = { 'x-forwarded-for': '203.0.113.9' };
      const tries = 10 * burst;
      const statuses: number[] = [];
      const retryAfter = new Set<string>();
      for (let i = 0; i < tries; i++) {
        // Well-shaped unknown tokens, each one a database lookup when it gets that far.
        const answer = await api.get('/api/v1/fleet', `b321r_${String(i).padStart(43, 'A')}`, guesser);
        statuses.push(answer.status);
        if (answer.status === 429) retryAfter.add(String(answer.headers['retry-after']));
      }
      const counts = tally(statuses);
      const floodLookups = lookups;
      t.equal(statuses.indexOf(429), burst, `the first ${burst} are 401, then 429`);
      t.same(counts, { 401: burst, 429: tries - burst }, 'the rest all 429 (the clock is held)');
      t.same([...retryAfter], ['1'], 'Retry-After: 1 s');
      t.equal(floodLookups, burst, `${floodLookups} token lookups for ${tries} requests: a 429 costs none`);
      const blocked = await api.get('/api/v1/fleet', `b321r_${'B'.repeat(43)}`, guesser);
      t.match(blocked.json(), { error: 'rate-limited' });
      t.equal(
        (await api.post(vary(base(), { agentId: 'agent-1', seq: 1 }), { token: null, headers: guesser })).status,
        429,
        'a POST too',
      );
      t.equal(
        (await api.get('/api/v1/fleet', api.tokens.reader, guesser)).status,
        429,
        'a valid token from that address waits too',
      );
      t.equal(
        (await api.get('/api/v1/fleet', api.tokens.reader, { 'x-forwarded-for': '198.51.100.7' })).status,
        200,
        'a valid token from another address is served',
      );
      t.equal(
        (await api.post(vary(base(), { agentId: 'agent-1', seq: 1 }))).status,
        201,
        "an agent's report from the proxy itself",
      );
      t.equal(
        (await api.get('/api/v1/fleet', '', { 'x-forwarded-for': '198.51.100.8' })).status,
        401,
        'another address has its own count',
      );
      api.clock.at += 1000;
      t.equal((await api.get('/api/v1/fleet', api.tokens.reader, guesser)).status, 200, 'after Retry-After: served');
      t.equal((await api.get('/api/v1/fleet', '', guesser)).status, 401, 'one failure earned back a second…');
      t.equal((await api.get('/api/v1/fleet', '', guesser)).status, 429, '…and spent');
      t.comment(
        `${backend.name}: ${tries} unknown well-shaped tokens from one address: ${counts[401]} × 401, then ${counts[429]} × 429 (Retry-After ${[...retryAfter].join(', ')} s), ${floodLookups} token lookups; meanwhile a valid token from another address 200`,
      );
    },
  );
}

failedAuthFlood(sqliteBackend);
await whenPostgres(t, 'the flood of unknown tokens on PostgreSQL', () => failedAuthFlood(postgresBackend));

t.test(
  '1000 unknown tokens from one address, 16 in flight: no 5xx, a burst of 401s (plus those in flight)',
  async (t) => {
    const api = await startApi(t, sqliteBackend);
    const { burst } = DEFAULT_AUTH_FAILURE_LIMIT;
    const parallel = 16;
    const tries = 1000;
    const statuses = await pooled(
      tries,
      parallel,
      async (i) => (await api.get('/api/v1/fleet', `b321r_${String(i).padStart(43, 'A')}`)).status,
    );
    const counts = tally(statuses);
    t.same(Object.keys(counts).sort(), ['401', '429'], 'each refused: 401 or 429, no 5xx');
    // The address is checked before its token is looked up: requests already past the check still fail as 401.
    t.ok(
      (counts[401] ?? 0) >= burst && (counts[401] ?? 0) < burst + parallel,
      `${counts[401]} × 401: the burst of ${burst}, plus at most the ${parallel - 1} others in flight`,
    );
    api.clock.at += 1000;
    t.equal((await api.get('/api/v1/fleet')).status, 200, 'a valid reader is served after Retry-After');
    t.comment(
      `${tries} unknown well-shaped tokens from one address, ${parallel} in flight: ${counts[401]} × 401, ${counts[429]} × 429`,
    );
  },
);

t.test('without --trust-proxy a forged X-Forwarded-For is no new address', async (t) => {
  const api = await startApi(t, sqliteBackend);
  const { burst } = DEFAULT_AUTH_FAILURE_LIMIT;
  const statuses: number[] = [];
  for (let i = 0; i < 2 * burst; i++) {
    statuses.push((await api.get('/api/v1/fleet', '', { 'x-forwarded-for': `203.0.113.${i}` })).status);
  }
  t.same(tally(statuses), { 401: burst, 429: burst }, 'counted against the connecting address');
});
