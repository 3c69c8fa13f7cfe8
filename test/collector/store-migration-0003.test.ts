// Migration 0003 on a PostgreSQL schema that already holds reports stored the release before's way
// (its statements in a transaction, under 0001–0002): the stored reports stay readable and keep
// their idempotency, and the one-call ingest carries each agent's latest state on from there.
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import t from 'tap';
import { bodyHash, receivedBody } from '../../src/collector/store/body.js';
import { ingestOne } from '../../src/collector/store/ingest.js';
import { runOn } from '../../src/collector/store/ingest-sql.js';
import { initialSchema } from '../../src/collector/store/migrations/0001-initial.js';
import { fleetPaging } from '../../src/collector/store/migrations/0002-fleet-paging.js';
import { columnTypes } from '../../src/collector/store/migrations/column-types.js';
import { openStore } from '../../src/collector/store/open.js';
import type { CollectorDatabase } from '../../src/collector/store/tables.js';
import type { SummaryReport } from '../../src/report-schema/types.js';
import { freshSchema, PG_URL, silent, whenPostgres } from './store-backends.js';
import { demoBase, HOUR, MINUTE, T0, vary } from './store-fixture.js';
import { send } from './store-suite-state.js';

/** The release before's ingest: its statements in one transaction, on a schema migrated to 0002. */
async function storeAsBefore(schema: string, reports: SummaryReport[]): Promise<void> {
  const pool = new pg.Pool({ connectionString: PG_URL, max: 1, options: `-c search_path=${schema}` });
  const db = new Kysely<CollectorDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    const migrator = new Migrator({
      db,
      provider: {
        getMigrations: async () => ({
          '0001-initial': initialSchema(columnTypes('postgres')),
          '0002-fleet-paging': fleetPaging(),
        }),
      },
      migrationTableSchema: schema,
    });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
    for (const report of reports) {
      const body = receivedBody(report, Buffer.byteLength(JSON.stringify(report)));
      const item = {
        report,
        body,
        hash: bodyHash(body.canonical),
        facts: {
          agentId: report.agent.id,
          instanceId: report.agent.instanceId,
          finishedAt: new Date(report.finishedAt).toISOString(),
          receivedAt: T0.toISOString(),
        },
        tokenId: 'tok_before',
      };
      await db.transaction().execute((trx) => ingestOne(runOn(trx, 'postgres'), item));
    }
  } finally {
    await db.destroy();
  }
}

await whenPostgres(t, 'migration 0003 on PostgreSQL', () => {
  const base = demoBase(t);

  t.test('reports stored before 0003 stay readable and idempotent; ingest carries the latest state on', async (t) => {
    const schema = await freshSchema(t);
    const ids = base().datasets.map((d) => d.id);
    const before = vary(base(), { agentId: 'web-1', seq: 1, at: 0, verdict: 'non-compliant' });
    await storeAsBefore(schema, [before]);

    const store = await openStore(PG_URL, { logger: silent, schema, poolSize: 2 });
    t.teardown(() => store.close());
    t.same((await store.report(before.reportId))?.body, before, 'the body stored before reads back');
    t.same(await send(store, before), { outcome: 'duplicate' }, 'the same body again: a duplicate');
    t.same(await send(store, { ...before, trigger: 'manual' } as SummaryReport), { outcome: 'conflict' });

    // A later full run without the first dataset (taken out of the config), all compliant.
    const after = vary(base(), { agentId: 'web-1', seq: 2, at: 10, verdict: 'compliant', datasets: ids.slice(1) });
    t.same(await send(store, after, new Date(T0.getTime() + 10 * MINUTE)), { outcome: 'stored' });
    const liveness = { now: new Date(T0.getTime() + HOUR), silentAfterMs: 2 * HOUR };
    const agent = await store.agent('web-1', liveness);
    t.match(agent, { lastReportId: after.reportId, lastSeq: 2, verdict: 'compliant', missingReports: 0 });
    t.same(agent?.datasets.map((d) => d.datasetId).sort(), ids.slice(1).sort(), 'the dataset no longer named is gone');
    t.same(
      (await store.agentsPage({ verdict: 'compliant', limit: 10 }, liveness)).agents.map((a) => a.id),
      ['web-1'],
      "the agent's worst verdict followed its datasets",
    );
    t.same((await store.report(after.reportId))?.body, after);
  });
});
