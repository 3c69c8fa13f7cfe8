// A long outage past the agent's outbox bound is told over several reports, each naming the drops
// since the last one that told: the collector marks a gap as dropped by the agent when those ranges
// together cover it, and not when a seq of it is in none of them.
import t from 'tap';
import { postgresBackend, sqliteBackend, whenPostgres, type Backend } from './store-backends.js';
import { demoBase, vary } from './store-fixture.js';
import { send } from './store-suite-state.js';

const base = demoBase(t);

const delivery = (first: number, last: number) => ({
  droppedReports: last - first + 1,
  firstDroppedSeq: first,
  lastDroppedSeq: last,
});

function suite(backend: Backend): void {
  t.test(`${backend.name}: a gap told in pieces is dropped by the agent; a piece missing, it is not`, async (t) => {
    const { store } = await backend.fresh(t);
    const report = (agentId: string, seq: number, told?: [number, number]) =>
      vary(base(), { agentId, seq, at: seq, ...(told ? { delivery: delivery(...told) } : {}) });
    // a-1: seqs 2–6 dropped, told as 4–6 by seq 7 and 2–3 by seq 8.
    for (const r of [report('a-1', 1), report('a-1', 7, [4, 6]), report('a-1', 8, [2, 3])]) await send(store, r);
    t.same(await store.gaps('a-1'), [
      { instanceId: 'instance-1', firstSeq: 2, lastSeq: 6, missing: 5, droppedByAgent: true },
    ]);
    // a-2: seqs 2–6 missing, but only 2–3 and 5–6 told: seq 4 went some other way.
    for (const r of [report('a-2', 1), report('a-2', 7, [5, 6]), report('a-2', 8, [2, 3])]) await send(store, r);
    t.same(await store.gaps('a-2'), [
      { instanceId: 'instance-1', firstSeq: 2, lastSeq: 6, missing: 5, droppedByAgent: false },
    ]);
  });
}

suite(sqliteBackend);
await whenPostgres(t, 'gaps told in pieces on PostgreSQL', () => suite(postgresBackend));
