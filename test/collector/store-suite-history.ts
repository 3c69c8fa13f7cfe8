// The store's history and tokens on every back end: keyset pages, verdicts for a chart, retention
// that keeps the latest state, reopening, and tokens kept only as hashes.
import type { Test } from 'tap';
import { isTokenShaped, tokenHash } from '../../src/collector/tokens.js';
import type { SummaryReport } from '../../src/report-schema/types.js';
import type { Backend } from './store-backends.js';
import { HOUR, MINUTE, T0, type Variation, vary } from './store-fixture.js';
import { send } from './store-suite-state.js';

const LIVENESS = { now: new Date(T0.getTime() + HOUR), silentAfterMs: 2 * HOUR };
const DAY = 24 * HOUR;

export function historySuite(t: Test, backend: Backend, base: () => SummaryReport): void {
  const make = (v: Variation) => vary(base(), v);

  t.test(`${backend.name}: reports a page at a time, newest first, none twice or left out`, async (t) => {
    const { store } = await backend.fresh(t);
    for (let seq = 1; seq <= 25; seq++) await send(store, make({ agentId: 'p-1', seq, at: seq }));
    // Two more that finished at the same time as seq 6: ties are ordered by arrival, never lost at a page's edge.
    await send(store, make({ agentId: 'p-1', seq: 26, at: 6, reportId: 'tie-a' }));
    await send(store, make({ agentId: 'p-1', seq: 27, at: 6, reportId: 'tie-b' }));
    await send(store, make({ agentId: 'other', seq: 1, at: 3 }));
    const seen: string[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const page = await store.reports('p-1', { limit: 10, before });
      seen.push(...page.reports.map((r) => r.reportId));
      before = page.next;
      pages += 1;
    } while (before !== null);
    t.equal(pages, 3);
    t.equal(seen.length, 27);
    t.equal(new Set(seen).size, 27, 'no report twice');
    t.equal(seen[0], 'p-1/instance-1/25/25');
    t.same(seen.slice(19, 22), ['tie-b', 'tie-a', 'p-1/instance-1/6/6'], 'ties: the later stored first');
    await t.rejects(store.reports('p-1', { limit: 10, before: 'not-a-cursor' }), { code: 'B321_STORE_CURSOR' });
    const history = await store.verdictHistory('p-1', new Date(T0.getTime() + 20 * MINUTE));
    t.same(
      history.map((p) => p.seq),
      [20, 21, 22, 23, 24, 25],
    );
    t.match(history[0], {
      verdict: base().summary.verdict,
      trigger: 'schedule',
      finishedAt: '2026-12-06T10:20:00.000Z',
    });
  });

  t.test(`${backend.name}: prune deletes old reports in batches and keeps every latest state`, async (t) => {
    const { store } = await backend.fresh(t);
    const [first, ...others] = base().datasets.map((d) => d.id) as [string, ...string[]];
    const old = (day: number) => new Date(T0.getTime() - (400 - day) * DAY);
    for (let seq = 1; seq <= 20; seq++) await send(store, make({ agentId: 'r-1', seq, at: seq }), old(seq));
    // seq 21, also old, is the last that judged the first dataset; seq 22 is the latest, judging the others.
    await send(store, make({ agentId: 'r-1', seq: 21, at: 21, only: [first] }), old(21));
    await send(store, make({ agentId: 'r-1', seq: 22, at: 22, only: others }), old(22));
    await send(store, make({ agentId: 'r-1', seq: 24, at: 24, only: others }), new Date(T0.getTime() + 24 * MINUTE));
    const before = await store.agent('r-1', LIVENESS);
    const result = await store.prune(new Date(T0.getTime() - DAY), { batch: 6 });
    t.same(result, { deleted: 21, batches: 4 }, 'seq 1–20 and 22; 21 stays: a dataset shows it');
    const left = (await store.reports('r-1', { limit: 100 })).reports.map((r) => r.seq);
    t.same(left, [24, 21]);
    const after = await store.agent('r-1', LIVENESS);
    t.same(after?.datasets, before?.datasets, 'the latest state is untouched');
    t.match(after, { lastSeq: 24, instances: [{ minSeq: 21, maxSeq: 24, missingReports: 2 }] });
    t.same(await store.gaps('r-1'), [
      { instanceId: 'instance-1', firstSeq: 22, lastSeq: 23, missing: 2, droppedByAgent: false },
    ]);
    t.same(await store.prune(new Date(T0.getTime() - DAY)), { deleted: 0, batches: 0 }, 'nothing left to prune');
    t.same(await send(store, make({ agentId: 'r-1', seq: 25, at: 25 })), { outcome: 'stored' });
  });

  t.test(`${backend.name}: what was stored is there after reopening`, async (t) => {
    const { store, reopen } = await backend.fresh(t);
    await send(store, make({ agentId: 'k-1', seq: 1 }));
    const { token } = await store.createToken({ kind: 'agent', subject: 'k-1' });
    await store.close();
    const again = await reopen();
    t.match(await again.agents(LIVENESS), [{ id: 'k-1', lastSeq: 1 }]);
    t.match(await again.findToken(token), { kind: 'agent', subject: 'k-1', revoked: false });
    t.same(await send(again, make({ agentId: 'k-1', seq: 1 })), { outcome: 'duplicate' });
  });

  t.test(
    `${backend.name}: tokens are kept as hashes only, found by the token, revoked by id or by agent`,
    async (t) => {
      const { store, rawContains } = await backend.fresh(t);
      const agent = await store.createToken({ kind: 'agent', subject: 'web-1' });
      const second = await store.createToken({ kind: 'agent', subject: 'web-1' });
      const reader = await store.createToken({ kind: 'reader', subject: 'grafana' });
      const otherAgent = await store.createToken({ kind: 'agent', subject: 'web-2' });
      t.match(agent.token, /^b321a_[A-Za-z0-9_-]{43}$/);
      t.match(reader.token, /^b321r_/);
      t.ok(isTokenShaped(agent.token));
      t.match(agent.id, /^tok_[0-9a-f]{12}$/);
      for (const made of [agent, second, reader, otherAgent]) {
        t.notOk(await rawContains(made.token), `${made.id}: the token is nowhere in the database`);
        t.notOk(await rawContains(made.token.slice(6)), `${made.id}: nor its random part`);
        t.ok(await rawContains(tokenHash(made.token)), `${made.id}: its hash is`);
      }
      t.same(await store.findToken(agent.token), { id: agent.id, kind: 'agent', subject: 'web-1', revoked: false });
      t.equal(await store.findToken(`b321a_${'A'.repeat(43)}`), null);
      t.same(await store.revokeToken({ id: reader.id }), { revoked: 1 });
      t.same(await store.revokeToken({ id: reader.id }), { revoked: 0 }, 'revoked once');
      t.match(await store.findToken(reader.token), { revoked: true });
      t.same(await store.revokeToken({ agent: 'web-1' }), { revoked: 2 });
      t.match(await store.findToken(second.token), { revoked: true });
      t.match(await store.findToken(otherAgent.token), { revoked: false }, 'another agent keeps its token');
      const list = await store.listTokens();
      t.same(
        list.map((tok) => [tok.id, tok.kind, tok.subject, tok.revokedAt !== null]).sort(),
        [
          [agent.id, 'agent', 'web-1', true],
          [second.id, 'agent', 'web-1', true],
          [reader.id, 'reader', 'grafana', true],
          [otherAgent.id, 'agent', 'web-2', false],
        ].sort(),
      );
      t.notOk(JSON.stringify(list).includes(agent.token.slice(6)), 'the list shows no token');
    },
  );
}
