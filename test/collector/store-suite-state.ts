// What every back end of the collector's store must do with reports: the same assertions for SQLite
// and PostgreSQL (store-sqlite.test.ts, store-postgres.test.ts).
import type { Test } from 'tap';
import { receivedBody } from '../../src/collector/store/body.js';
import type { CollectorStore } from '../../src/collector/store/types.js';
import type { SummaryReport } from '../../src/report-schema/types.js';
import type { Backend } from './store-backends.js';
import { HOUR, MINUTE, T0, type Variation, vary } from './store-fixture.js';

const LIVENESS = { now: new Date(T0.getTime() + HOUR), silentAfterMs: 2 * HOUR };

export function send(store: CollectorStore, report: SummaryReport, receivedAt = T0) {
  const bytes = Buffer.byteLength(JSON.stringify(report));
  return store.ingest(report, receivedBody(report, bytes), { receivedAt, tokenId: 'tok_test' });
}

export function stateSuite(t: Test, backend: Backend, base: () => SummaryReport): void {
  const make = (v: Variation) => vary(base(), v);

  t.test(
    `${backend.name}: the same reportId is stored once; another body under it is a conflict and changes nothing`,
    async (t) => {
      const { store } = await backend.fresh(t);
      const report = make({ agentId: 'web-1', seq: 1 });
      t.same(await send(store, report), { outcome: 'stored' });
      const reordered = JSON.parse(
        JSON.stringify(Object.fromEntries(Object.entries(report).reverse())),
      ) as SummaryReport;
      t.same(await send(store, reordered), { outcome: 'duplicate' }, 'key order is not another body');
      const changed = { ...report, trigger: 'manual' } as SummaryReport;
      t.same(await send(store, changed), { outcome: 'conflict' });
      const stored = await store.report(report.reportId);
      t.same(stored?.body, report, 'the first body stands');
      t.equal(stored?.trigger, 'schedule');
      t.equal((await store.reports('web-1', { limit: 10 })).reports.length, 1, 'one row');
    },
  );

  t.test(`${backend.name}: 200 concurrent ingests of one reportId give one stored row`, async (t) => {
    const { store } = await backend.fresh(t);
    const report = make({ agentId: 'web-1', seq: 1 });
    const other = { ...report, trigger: 'deep' } as SummaryReport;
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) => send(store, i % 10 === 9 ? other : report)),
    );
    const count = (o: string) => outcomes.filter((r) => r.outcome === o).length;
    t.equal(count('stored'), 1);
    t.equal(count('stored') + count('duplicate') + count('conflict'), 200);
    t.equal((await store.reports('web-1', { limit: 10 })).reports.length, 1);
    t.match(await store.agents(LIVENESS), [{ id: 'web-1', lastSeq: 1, missingReports: 0 }]);
  });

  t.test(`${backend.name}: the latest state moves only to a report that finished later`, async (t) => {
    const { store } = await backend.fresh(t);
    await send(
      store,
      make({ agentId: 'db-1', seq: 2, at: 20, verdict: 'compliant' }),
      new Date(T0.getTime() + 20 * MINUTE),
    );
    const late = make({ agentId: 'db-1', seq: 1, at: 10, verdict: 'non-compliant' });
    t.same(await send(store, late, new Date(T0.getTime() + 30 * MINUTE)), { outcome: 'stored' });
    const [agent] = await store.agents(LIVENESS);
    t.match(
      agent,
      { lastSeq: 2, verdict: 'compliant', lastReceivedAt: new Date(T0.getTime() + 30 * MINUTE).toISOString() },
      'an older report arriving late is kept in the history, not shown as the latest; it still says the agent is alive',
    );
    t.ok((await store.datasets({ agentId: 'db-1' })).every((d) => d.verdict === 'compliant'));
    const datasetIds = base().datasets.map((d) => d.id);
    const [one, ...rest] = datasetIds as [string, ...string[]];
    await send(store, make({ agentId: 'db-1', seq: 3, at: 30, verdict: 'at-risk', only: [one] }));
    const after = await store.datasets({ agentId: 'db-1' });
    t.equal(after.find((d) => d.datasetId === one)?.verdict, 'at-risk', 'a watch run updates the dataset it judged');
    t.ok(
      after.filter((d) => d.datasetId !== one).every((d) => d.verdict === 'compliant'),
      'and leaves the others',
    );
    t.match(await store.agent('db-1', LIVENESS), { verdict: 'at-risk', lastSeq: 3 });
    await send(store, make({ agentId: 'db-1', seq: 4, at: 40, verdict: 'compliant', datasets: rest }));
    t.same(
      (await store.datasets({ agentId: 'db-1' })).map((d) => d.datasetId),
      [...rest].sort(),
      'a full run without a dataset drops it (taken out of the config)',
    );
  });

  t.test(`${backend.name}: gaps in each instance's seq, and a reinstall`, async (t) => {
    const { store } = await backend.fresh(t);
    for (const seq of [1, 2, 5, 6, 9]) await send(store, make({ agentId: 'app-1', seq, at: seq * 15 }));
    await send(
      store,
      make({
        agentId: 'app-1',
        seq: 12,
        at: 12 * 15,
        delivery: { droppedReports: 2, firstDroppedSeq: 10, lastDroppedSeq: 11 },
      }),
    );
    t.same(await store.gaps('app-1'), [
      { instanceId: 'instance-1', firstSeq: 3, lastSeq: 4, missing: 2, droppedByAgent: false },
      { instanceId: 'instance-1', firstSeq: 7, lastSeq: 8, missing: 2, droppedByAgent: false },
      { instanceId: 'instance-1', firstSeq: 10, lastSeq: 11, missing: 2, droppedByAgent: true },
    ]);
    t.match(await store.agents(LIVENESS), [{ missingReports: 6, reinstalls: 0, instanceCount: 1 }]);
    await send(store, make({ agentId: 'app-1', seq: 4, at: 4 * 15 }));
    t.match(await store.agents(LIVENESS), [{ missingReports: 5 }], 'a late report fills its place');
    for (const seq of [1, 3])
      await send(store, make({ agentId: 'app-1', instanceId: 'instance-2', seq, at: 300 + seq }));
    const agent = await store.agent('app-1', LIVENESS);
    t.match(agent, { instanceId: 'instance-2', reinstalls: 1, instanceCount: 2, missingReports: 6, lastSeq: 3 });
    t.same(
      agent?.instances.map((i) => [i.instanceId, i.minSeq, i.maxSeq, i.missingReports]),
      [
        ['instance-1', 1, 12, 5],
        ['instance-2', 1, 3, 1],
      ],
    );
    t.match(agent?.gaps.at(-1), { instanceId: 'instance-2', firstSeq: 2, lastSeq: 2, missing: 1 });
    t.equal(await store.agent('nobody', LIVENESS), null);
  });

  t.test(`${backend.name}: silence by the given clock, and the fleet's counts`, async (t) => {
    const { store } = await backend.fresh(t);
    const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);
    await send(store, make({ agentId: 'a-ok', verdict: 'compliant' }), at(50));
    await send(store, make({ agentId: 'b-risk', verdict: 'at-risk' }), at(50));
    await send(store, make({ agentId: 'c-bad' }), at(50));
    await send(store, make({ agentId: 'd-none', datasets: [] }), at(50));
    await send(store, make({ agentId: 'e-quiet', verdict: 'compliant' }), at(-70));
    const agents = await store.agents(LIVENESS);
    t.same(
      agents.map((a) => [a.id, a.status, a.silent]),
      [
        ['a-ok', 'compliant', false],
        ['b-risk', 'at-risk', false],
        ['c-bad', 'non-compliant', false],
        ['d-none', 'unknown', false],
        ['e-quiet', 'silent', true],
      ],
    );
    t.equal(agents[4]?.verdict, 'compliant', 'a silent agent keeps its last verdict beside its status');
    const fleet = await store.fleet(LIVENESS);
    t.same(fleet.byStatus, { compliant: 1, atRisk: 1, nonCompliant: 1, unknown: 1, silent: 1 });
    t.same(
      fleet.compliance,
      { compliant: 1, atRisk: 1, nonCompliant: 2, unknown: 1 },
      'silent counts as non-compliant',
    );
    t.equal(fleet.agents, 5);
    const perReport = base().datasets.length;
    const inBase = (verdict: string) => base().datasets.filter((d) => d.verdict === verdict).length;
    t.same(fleet.datasets, {
      compliant: 2 * perReport + inBase('compliant'),
      atRisk: perReport + inBase('at-risk'),
      nonCompliant: inBase('non-compliant'),
      unknown: inBase('unknown'),
    });
    const later = await store.fleet({ now: at(50 + 121), silentAfterMs: 2 * HOUR });
    t.same(later.byStatus, { compliant: 0, atRisk: 0, nonCompliant: 0, unknown: 0, silent: 5 });
  });

  t.test(`${backend.name}: datasets filtered by verdict, agent and a check's status`, async (t) => {
    const { store } = await backend.fresh(t);
    await send(store, make({ agentId: 'x-1' }));
    await send(store, make({ agentId: 'x-2', verdict: 'compliant' }));
    const all = await store.datasets({});
    t.equal(all.length, 2 * base().datasets.length);
    const bad = await store.datasets({ verdict: 'non-compliant' });
    t.ok(bad.length > 0 && bad.every((d) => d.agentId === 'x-1' && d.verdict === 'non-compliant'));
    const failing = base().datasets.flatMap((d) =>
      d.findings.filter((f) => f.status === 'fail').map((f) => [d.id, f.check]),
    );
    const [datasetId, check] = failing[0] as [string, string];
    const found = await store.datasets({ check, status: 'fail' });
    const expected = base().datasets.filter((d) => d.findings.some((f) => f.check === check && f.status === 'fail'));
    t.same(found.map((d) => d.datasetId).sort(), [...expected, ...expected].map((d) => d.id).sort());
    t.ok(found.some((d) => d.datasetId === datasetId));
    t.match(found[0]?.checks, [{ check: String, status: String, reason: String, message: String }]);
    t.same(await store.datasets({ agentId: 'x-2', verdict: 'non-compliant' }), []);
  });
}
