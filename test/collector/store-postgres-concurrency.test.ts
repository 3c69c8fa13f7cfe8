// Several collectors on one PostgreSQL: separate pools and separate processes ingesting the same
// report agree on one row (a unique key, not a read-then-write), migrate one after the other when
// started together, and ingest one agent's reports side by side without deadlock or a lost report.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { openStore } from '../../src/collector/store/open.js';
import type { CollectorStore } from '../../src/collector/store/types.js';
import { freshSchema, PG_URL, silent, whenPostgres } from './store-backends.js';
import { storeChild } from './store-child-process.js';
import { demoBase, HOUR, T0, vary } from './store-fixture.js';
import { send } from './store-suite-state.js';

async function stores(t: Test, schema: string, n: number): Promise<CollectorStore[]> {
  const opened = await Promise.all(
    Array.from({ length: n }, () => openStore(PG_URL, { logger: silent, schema, poolSize: 5 })),
  );
  t.teardown(() => Promise.all(opened.map((store) => store.close())));
  return opened;
}

await whenPostgres(t, 'several collectors on one PostgreSQL', () => {
  const base = demoBase(t);

  t.test('200 ingests of one reportId from 4 pools, opened (and migrated) at once: one stored row', async (t) => {
    const schema = await freshSchema(t);
    const pools = await stores(t, schema, 4);
    const report = vary(base(), { agentId: 'web-1', seq: 1 });
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) => send(pools[i % 4] as CollectorStore, report)),
    );
    t.equal(outcomes.filter((o) => o.outcome === 'stored').length, 1);
    t.equal(outcomes.filter((o) => o.outcome === 'duplicate').length, 199);
    t.equal((await pools[0]?.reports('web-1', { limit: 10 }))?.reports.length, 1);
  });

  t.test('4 collector processes started together on a new schema: each migrates, one row stored', async (t) => {
    const schema = await freshSchema(t);
    const reportFile = join(t.testdir(), 'report.json');
    writeFileSync(reportFile, JSON.stringify(vary(base(), { agentId: 'web-2', seq: 1 })));
    const results = await Promise.all(Array.from({ length: 4 }, () => storeChild(PG_URL, schema, reportFile, 50)));
    const total = (o: string) => results.reduce((sum, r) => sum + (r[o] ?? 0), 0);
    t.equal(total('stored'), 1, JSON.stringify(results));
    t.equal(total('duplicate'), 199);
    const [store] = await stores(t, schema, 1);
    t.equal((await store?.reports('web-2', { limit: 10 }))?.reports.length, 1);
  });

  t.test(
    "one agent's reports ingested side by side from 4 pools while another prunes: none lost, the newest latest",
    async (t) => {
      const schema = await freshSchema(t);
      const pools = await stores(t, schema, 5);
      const old = new Date(T0.getTime() - 500 * 24 * HOUR);
      for (let seq = 1; seq <= 40; seq++)
        await send(pools[4] as CollectorStore, vary(base(), { agentId: 'db-1', seq, at: seq }), old);
      const reports = Array.from({ length: 120 }, (_, i) => vary(base(), { agentId: 'db-1', seq: 41 + i, at: 41 + i }));
      const [outcomes, pruned] = await Promise.all([
        Promise.all(reports.map((report, i) => send(pools[i % 4] as CollectorStore, report))),
        (pools[4] as CollectorStore).prune(new Date(T0.getTime() - 24 * HOUR), { batch: 5 }),
      ]);
      t.ok(outcomes.every((o) => o.outcome === 'stored'));
      const left = await pools[0]?.reports('db-1', { limit: 1000 });
      t.equal(left?.reports.length, 120 + 40 - pruned.deleted);
      t.ok(pruned.deleted >= 39, `the old reports but the latest state's went (${pruned.deleted})`);
      const agent = await pools[0]?.agent('db-1', { now: T0, silentAfterMs: 2 * HOUR });
      t.match(agent, { lastSeq: 160, missingReports: 0 });
      t.ok(agent?.datasets.every((d) => d.reportId === reports.at(-1)?.reportId));
    },
  );
});
