// Fault suite, abuse of the collector: a flood. One agent's token sending far more than its bucket
// gets 429 with Retry-After for the excess, while another agent's reports sent during the flood are
// all stored (201) and a reader still reads; statuses are asserted, never timings. The collector's
// clock is held still, so no request is earned back during the flood and the counts are exact.
import t from 'tap';
import { DEFAULT_RATE_LIMIT } from '../../src/collector/rate-limit.js';
import { startApi } from '../collector/api-fixture.js';
import { sqliteBackend } from '../collector/store-backends.js';
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

t.test('repeated 401s from one address: no per-address limit (recorded, not promised)', async (t) => {
  const api = await startApi(t, sqliteBackend);
  const tries = 1000;
  const statuses = await pooled(
    tries,
    16,
    async (i) => (await api.get('/api/v1/fleet', `b321r_${String(i).padStart(43, 'A')}`)).status,
  );
  const counts = tally(statuses);
  t.same(
    Object.keys(counts)
      .map(Number)
      .filter((s) => s >= 500),
    [],
    'no 5xx under a stream of unknown tokens',
  );
  t.equal((counts[401] ?? 0) + (counts[429] ?? 0), tries, 'each refused');
  t.equal((await api.get('/api/v1/fleet')).status, 200, 'a valid reader is served after it');
  t.comment(
    `${tries} unknown well-shaped tokens from one address: ${counts[401] ?? 0} × 401, ${counts[429] ?? 0} × 429 (the rate limit is per token, after authentication: nothing limits guesses per address)`,
  );
});
