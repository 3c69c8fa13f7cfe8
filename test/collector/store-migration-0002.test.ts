// Migration 0002 on a database that already holds a fleet (written under 0001): every agent's worst
// verdict is filled from its datasets, so the paged fleet finds them by verdict straight away.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import t from 'tap';
import { initialSchema } from '../../src/collector/store/migrations/0001-initial.js';
import { columnTypes } from '../../src/collector/store/migrations/column-types.js';
import { openStore } from '../../src/collector/store/open.js';
import { silent } from './store-backends.js';

const AT = '2026-12-06T10:00:00.000Z';

t.test('sqlite: 0002 fills agents.worst_rank from the datasets already stored', async (t) => {
  const file = join(t.testdir(), 'old.db');
  const old = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(file) }) });
  const migrator = new Migrator({
    db: old,
    provider: { getMigrations: async () => ({ '0001-initial': initialSchema(columnTypes('sqlite')) }) },
  });
  const { error } = await migrator.migrateToLatest();
  t.error(error);
  await old.destroy();
  const raw = new Database(file);
  const agent = raw.prepare(
    `INSERT INTO agents (agent_id, first_seen_at, last_received_at, instance_id, host_name, host, product_version,
       report_id, seq, trigger, finished_at, next_run_at, verdict) VALUES (?, ?, ?, 'i', 'h', '{}', '0.1.0', ?, 1, 'schedule', ?, NULL, 'x')`,
  );
  const dataset = raw.prepare(
    `INSERT INTO datasets (agent_id, dataset_id, verdict, verdict_rank, counts, checks, newest_copy_at,
       restore_estimate_ms, rto_ms, report_id, finished_at) VALUES (?, ?, ?, ?, '{}', '[]', NULL, NULL, 1000, ?, ?)`,
  );
  for (const [id, verdicts] of [
    ['bad', ['compliant', 'non-compliant']],
    ['risk', ['at-risk', 'compliant']],
    ['ok', ['compliant']],
    ['none', []],
  ] as const) {
    agent.run(id, AT, AT, `r-${id}`, AT);
    const rank = { compliant: 0, 'at-risk': 1, unknown: 2, 'non-compliant': 3 } as const;
    for (const [i, v] of verdicts.entries()) dataset.run(id, `d${i}`, v, rank[v], `r-${id}`, AT);
  }
  raw.close();
  const store = await openStore(file, { logger: silent });
  t.teardown(() => store.close());
  const liveness = { now: new Date(AT), silentAfterMs: 3_600_000 };
  const page = await store.agentsPage({ sort: 'status', limit: 10 }, liveness);
  t.same(
    page.agents.map((a) => [a.id, a.verdict]),
    [
      ['bad', 'non-compliant'],
      ['none', 'unknown'],
      ['risk', 'at-risk'],
      ['ok', 'compliant'],
    ],
  );
  t.same(
    (await store.agentsPage({ verdict: 'non-compliant', limit: 10 }, liveness)).agents.map((a) => a.id),
    ['bad'],
  );
  t.same((await store.agentCounts(liveness)).byStatus, {
    compliant: 1,
    atRisk: 1,
    nonCompliant: 1,
    unknown: 1,
    silent: 0,
  });
});
