// Fault 3: the collector killed with SIGKILL while it ingests under load, and started again on the same
// database — SQLite and PostgreSQL. Every report it acknowledged (a 2xx the client saw) is in the
// database after the restart, none twice.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t, { type Test } from 'tap';
import { demoSummary } from '../collector/store-fixture.js';
import { whenPostgres } from '../collector/store-backends.js';
import {
  type CollectorDb,
  type CollectorProcess,
  createAgentTokens,
  kill9,
  postgresDb,
  sqliteDb,
  startCollectorProcess,
  storedRows,
  until,
} from './chain.js';
import { startLoad } from './load-client.js';

const KILLS = 5;
const AGENTS = 8;

t.setTimeout(600_000);

async function killUnderLoad(t: Test, root: string, db: CollectorDb): Promise<void> {
  const ids = Array.from({ length: AGENTS }, (_, i) => `load-${i + 1}`);
  const tokens = await createAgentTokens(db, ids);
  const agents = ids.map((id, i) => ({ id, token: tokens[i] as string }));
  const base = await demoSummary(join(root, 'demo'));
  let collector: CollectorProcess = await startCollectorProcess(t, db);
  const port = collector.port;
  const load = startLoad({ url: () => collector.reportsUrl, base, agents, sendersPerAgent: 2 });
  t.teardown(() => load.stop());
  let acknowledgedAtKills = 0;
  for (let kill = 0; kill < KILLS; kill++) {
    // Ingest under way (some acknowledged since the start), then a random moment within it.
    const from = load.counts.acknowledged;
    const more = 20 + Math.floor(Math.random() * 60);
    await until(() => load.counts.acknowledged >= from + more, `${more} more acknowledged`, 120_000);
    await sleep(Math.random() * 300);
    await kill9(collector);
    acknowledgedAtKills = load.acknowledged.size;
    collector = await startCollectorProcess(t, db, port);
  }
  // Some more after the last restart, then the load ends.
  const from = load.counts.acknowledged;
  await until(() => load.counts.acknowledged >= from + 20, 'reports acknowledged after the last restart', 120_000);
  await load.stop();

  const rows = await storedRows(db);
  const stored = new Set(rows.map((row) => row.reportId));
  const lost = [...load.acknowledged].filter((id) => !stored.has(id));
  t.same(lost, [], 'every acknowledged report is in the database');
  t.equal(rows.length, stored.size, 'none twice');
  const storedUnacknowledged = [...stored].filter((id) => !load.acknowledged.has(id)).length;
  t.comment(
    `collector-kill (${db.kind}): ${KILLS} kills -9 under load (${AGENTS} agents × 2 senders); ` +
      `${load.counts.sent} sent to a listening collector, ${load.acknowledged.size} acknowledged (${acknowledgedAtKills} before the last kill), ` +
      `${rows.length} rows, ${lost.length} acknowledged and lost, ${rows.length - stored.size} duplicates; ` +
      `${load.counts.failed} sends cut by a kill (no whole answer), ${load.counts.down} connections refused while it was down, ${load.counts.refused} refused (429/503), ` +
      `${storedUnacknowledged} stored without the client seeing the answer`,
  );
  collector.child.kill('SIGTERM');
  t.equal((await collector.exited).code, 0, 'the collector stops cleanly');
}

t.test(`kill -9 of the collector ${KILLS} times under load, on SQLite`, async (t) => {
  const root = t.testdir();
  await killUnderLoad(t, root, sqliteDb(join(root, 'collector')));
});

await whenPostgres(t, `kill -9 of the collector ${KILLS} times under load, on PostgreSQL`, () => {
  t.test(`kill -9 of the collector ${KILLS} times under load, on PostgreSQL`, async (t) => {
    await killUnderLoad(t, t.testdir(), await postgresDb(t));
  });
});
