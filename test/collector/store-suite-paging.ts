// The fleet a page at a time (issue 29): the store filters, sorts, pages and counts agents in the
// database, and must give exactly what the dashboard's rules give over the whole list. The same
// assertions for SQLite and PostgreSQL (store-sqlite.test.ts, store-postgres.test.ts).
import type { Test } from 'tap';
import type { AgentQuery, AgentSort, AgentSummary, CollectorStore } from '../../src/collector/store/types.js';
import type { SummaryReport } from '../../src/report-schema/types.js';
import type { Backend } from './store-backends.js';
import { HOUR, MINUTE, T0, type Variation, vary } from './store-fixture.js';
import { send } from './store-suite-state.js';

const LIVENESS = { now: new Date(T0.getTime() + HOUR), silentAfterMs: 2 * HOUR };
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);

/** The dashboard's order, as it was written over the whole list before the store paged it. */
const SEVERITY = { silent: 4, 'non-compliant': 3, unknown: 2, 'at-risk': 1, compliant: 0 } as const;
function reference(sort: AgentSort): (a: AgentSummary, b: AgentSummary) => number {
  const byName = (a: AgentSummary, b: AgentSummary) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  switch (sort) {
    case 'name':
      return byName;
    case 'lastReport':
      return (a, b) => Date.parse(a.lastReceivedAt) - Date.parse(b.lastReceivedAt) || byName(a, b);
    case 'missing':
      return (a, b) => b.missingReports - a.missingReports || b.reinstalls - a.reinstalls || byName(a, b);
    default:
      return (a, b) => SEVERITY[b.status] - SEVERITY[a.status] || byName(a, b);
  }
}

/**
 * 13 agents: every status, names and hosts with LIKE's own characters (% _ !), gaps and reinstalls,
 * agents heard from at different times, one without datasets.
 */
async function fleet(store: CollectorStore, make: (v: Variation) => SummaryReport): Promise<void> {
  await send(store, make({ agentId: 'a-ok', verdict: 'compliant' }), at(50));
  await send(store, make({ agentId: 'b-risk', verdict: 'at-risk', hostname: 'Web_Front.example' }), at(45));
  await send(store, make({ agentId: 'c-bad', hostname: '100%-db.example' }), at(40));
  await send(store, make({ agentId: 'd-none', datasets: [] }), at(35));
  await send(store, make({ agentId: 'e-quiet', verdict: 'compliant' }), at(-70));
  await send(store, make({ agentId: 'f-quiet-bad' }), at(-90));
  await send(store, make({ agentId: 'g-unknown', verdict: 'unknown', hostname: 'WEBX.example' }), at(30));
  for (const seq of [1, 2, 6])
    await send(store, make({ agentId: 'h-gaps', seq, at: seq, verdict: 'compliant' }), at(seq));
  for (const seq of [1, 4]) await send(store, make({ agentId: 'i-gap', seq, at: seq, verdict: 'at-risk' }), at(seq));
  await send(store, make({ agentId: 'j-re', instanceId: 'one', seq: 1, at: 1, verdict: 'compliant' }), at(1));
  await send(store, make({ agentId: 'j-re', instanceId: 'two', seq: 1, at: 2, verdict: 'compliant' }), at(2));
  await send(store, make({ agentId: 'k!bang', verdict: 'compliant' }), at(20));
  await send(store, make({ agentId: 'l_under', verdict: 'compliant' }), at(20));
  await send(store, make({ agentId: 'lXunder', verdict: 'compliant' }), at(20));
}

export function pagingSuite(t: Test, backend: Backend, base: () => SummaryReport): void {
  const make = (v: Variation) => vary(base(), v);

  t.test(`${backend.name}: agentsPage sorts and pages as the dashboard's rules order the whole list`, async (t) => {
    const { store } = await backend.fresh(t);
    await fleet(store, make);
    const all = await store.agents(LIVENESS);
    t.equal(all.length, 13);
    for (const sort of ['status', 'name', 'lastReport', 'missing'] as const) {
      for (const descending of [false, true]) {
        const order = reference(sort);
        const expected = [...all].sort(descending ? (a, b) => order(b, a) : order).map((a) => a.id);
        const pages: string[] = [];
        for (let offset = 0; offset < 16; offset += 5) {
          const page = await store.agentsPage({ sort, descending, limit: 5, offset }, LIVENESS);
          t.equal(page.matched, 13, `${sort} ${descending}: matched counts every page`);
          t.equal(page.more, offset + 5 < 13, `${sort} ${descending}: more after ${offset + 5}`);
          pages.push(...page.agents.map((a) => a.id));
        }
        t.same(pages, expected, `sort=${sort}${descending ? ' desc' : ''}, 5 a page`);
      }
    }
    const [first] = (await store.agentsPage({ sort: 'missing', limit: 1 }, LIVENESS)).agents;
    t.match(first, { id: 'h-gaps', missingReports: 3, reinstalls: 0 }, 'a page carries the same summary as the list');
    t.same(
      (await store.agentsPage({ sort: 'name', limit: 3, after: 'j-re' }, LIVENESS)).agents.map((a) => a.id),
      ['k!bang', 'lXunder', 'l_under'],
      'keyset: the agents after an id (ids compare as bytes: X before _)',
    );
  });

  t.test(`${backend.name}: agentsPage filters, and counts what it kept`, async (t) => {
    const { store } = await backend.fresh(t);
    await fleet(store, make);
    const all = await store.agents(LIVENESS);
    const ids = async (query: Omit<AgentQuery, 'limit'>) => {
      const page = await store.agentsPage({ sort: 'name', limit: 100, ...query }, LIVENESS);
      t.equal(page.matched, page.agents.length, `${JSON.stringify(query)}: matched = kept`);
      return page.agents.map((a) => a.id);
    };
    const where = (keep: (a: AgentSummary) => boolean) => all.filter(keep).map((a) => a.id);
    for (const verdict of ['compliant', 'at-risk', 'non-compliant', 'unknown'] as const) {
      t.same(
        await ids({ verdict }),
        where((a) => a.verdict === verdict),
        `verdict=${verdict} (silent or not)`,
      );
    }
    t.ok((await ids({ verdict: 'unknown' })).includes('d-none'), 'no datasets is unknown');
    t.same(await ids({ silent: true }), ['e-quiet', 'f-quiet-bad']);
    t.same(await ids({ silent: true, verdict: 'non-compliant' }), ['f-quiet-bad']);
    t.same(
      await ids({ silent: false }),
      where((a) => !a.silent),
      'silent: false keeps the agents heard from',
    );
    t.same(await ids({ name: 'WEB' }), ['b-risk', 'g-unknown'], 'id or host name, any case');
    t.same(await ids({ name: '100%' }), ['c-bad'], '% is a character, not a wildcard');
    t.same(await ids({ name: 'l_' }), ['l_under'], '_ is a character, not a wildcard');
    t.same(await ids({ name: 'k!b' }), ['k!bang'], 'the escape character itself');
    t.same(await ids({ name: 'nobody' }), []);
    const failing = base().datasets.flatMap((d) => d.findings.filter((f) => f.status === 'fail').map((f) => f.check));
    const check = failing[0] as string;
    // The reference: the agents of the datasets the store's dataset filter finds (another query).
    const withFail = [...new Set((await store.datasets({ check, status: 'fail' })).map((d) => d.agentId))].sort();
    t.ok(withFail.length > 0 && !withFail.includes('d-none'));
    t.same(await ids({ check, checkStatus: 'fail' }), withFail, `check=${check}&checkStatus=fail`);
    t.same(await ids({ check: 'no-such-check' }), []);
    t.same(
      await ids({ checkStatus: 'fail', name: 'quiet' }),
      withFail.filter((id) => id.includes('quiet')),
      'a status alone, with a name',
    );
    const page = await store.agentsPage({ verdict: 'compliant', limit: 2, offset: 2, sort: 'name' }, LIVENESS);
    t.equal(page.matched, where((a) => a.verdict === 'compliant').length, 'matched counts past the page');
    t.equal(page.agents.length, 2);
  });

  t.test(
    `${backend.name}: an agent's worst verdict follows its latest datasets (watch runs, removed datasets)`,
    async (t) => {
      const { store } = await backend.fresh(t);
      const verdictOf = async () => (await store.agentsPage({ limit: 1 }, LIVENESS)).agents[0]?.verdict;
      const ids = base().datasets.map((d) => d.id);
      await send(store, make({ agentId: 'w', seq: 1, at: 1, verdict: 'non-compliant' }), at(1));
      t.equal(await verdictOf(), 'non-compliant');
      await send(store, make({ agentId: 'w', seq: 2, at: 2, verdict: 'compliant' }), at(2));
      t.equal(await verdictOf(), 'compliant', 'a later report replaces it');
      await send(store, make({ agentId: 'w', seq: 3, at: 3, verdict: 'at-risk', only: [ids[0] as string] }), at(3));
      t.equal(await verdictOf(), 'at-risk', 'a watch run of one dataset: the others keep theirs');
      await send(store, make({ agentId: 'w', seq: 0, at: 0, verdict: 'non-compliant' }), at(4));
      t.equal(await verdictOf(), 'at-risk', 'a late older report changes nothing');
      await send(store, make({ agentId: 'w', seq: 4, at: 5, datasets: [] }), at(5));
      t.equal(await verdictOf(), 'unknown', 'every dataset taken out of the config: unknown');
      t.same((await store.agentsPage({ verdict: 'unknown', limit: 5 }, LIVENESS)).matched, 1);
      t.same((await store.fleet(LIVENESS)).byStatus, {
        compliant: 0,
        atRisk: 0,
        nonCompliant: 0,
        unknown: 1,
        silent: 0,
      });
    },
  );

  t.test(`${backend.name}: datasets by id across the fleet, a page at a time`, async (t) => {
    const { store } = await backend.fresh(t);
    const [first, second] = base().datasets.map((d) => d.id) as [string, string];
    for (const agentId of ['p-3', 'p-1', 'p-2']) await send(store, make({ agentId }));
    await send(store, make({ agentId: 'p-0', datasets: [second] }));
    const one = await store.datasets({ datasetId: first });
    t.same(
      one.map((d) => [d.agentId, d.datasetId]),
      [
        ['p-1', first],
        ['p-2', first],
        ['p-3', first],
      ],
    );
    const page = await store.datasetsPage({ datasetId: second }, { limit: 2, offset: 2 });
    t.equal(page.matched, 4);
    t.same(
      page.datasets.map((d) => d.agentId),
      ['p-2', 'p-3'],
    );
    t.equal(page.more, false, 'the last page');
    t.equal((await store.datasetsPage({ datasetId: second }, { limit: 2 })).more, true, 'more after the first two');
    t.same(await store.datasetsPage({ datasetId: 'no-such' }, { limit: 5 }), {
      datasets: [],
      matched: 0,
      more: false,
    });
    t.same(
      (await store.datasets({ agentIds: ['p-0', 'p-2'] })).map((d) => d.agentId),
      ['p-0', ...base().datasets.map(() => 'p-2')],
      "agentIds: the page's agents in one query",
    );
    t.same(await store.datasets({ agentIds: [] }), []);
    // Keyset: every dataset once, in the key's order, 4 at a time.
    const keys = (list: { agentId: string; datasetId: string }[]) => list.map((d) => `${d.agentId} ${d.datasetId}`);
    const walked: string[] = [];
    let after: { agentId: string; datasetId: string } | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const next = await store.datasetsAfter({}, { limit: 4, ...(after ? { after } : {}) });
      walked.push(...keys(next.datasets));
      after = next.datasets.at(-1);
      if (!next.more) break;
    }
    t.same(walked, keys(await store.datasets({})), 'after: every dataset once, by agent then dataset');
    t.same(
      await store.datasetChecks(['p-2', 'p-0']),
      (await store.datasets({ agentIds: ['p-0', 'p-2'] })).map(({ agentId, datasetId, verdict, checks }) => ({
        agentId,
        datasetId,
        verdict,
        checks,
      })),
      "datasetChecks: the fleet table's columns of the same rows, in the same order",
    );
    t.same(await store.datasetChecks([]), []);
  });
}
