// Fault 4: acknowledgements lost after the collector committed. A proxy between the agent and the
// collector drops 100 answers at random (closed, reset, or cut half-way); every report is stored once
// and the outbox drains. And the collector's side of it: one reportId sent 1,000 times at once is one
// row; the same reportId with another body is refused with 409 and the stored body stays as it was.
import { appendFileSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { SummaryReport } from '../../src/report-schema/types.js';
import { demoSummary } from '../collector/store-fixture.js';
import { whenPostgres } from '../collector/store-backends.js';
import {
  type CollectorDb,
  chainEstate,
  createAgentTokens,
  createToken,
  DEMO_AGENT,
  FAST_RETRY,
  get,
  outboxFiles,
  postgresDb,
  sample,
  sqliteDb,
  startAgent,
  startCollectorProcess,
  storedBody,
  storedRows,
  tally,
  until,
} from './chain.js';
import { startDroppingProxy } from './dropping-proxy.js';

const DROPS = 100;
const SAME_ID_SENDS = 1000;
/** The collector's rate limit is a bucket of 120 per token: 10 tokens of one agent take 1,000 at once. */
const TOKENS = 10;

t.setTimeout(900_000);

t.test(`${DROPS} answers lost after the commit: every report stored once, the outbox drains`, async (t) => {
  const root = t.testdir();
  const db = sqliteDb(join(root, 'collector'));
  const token = await createToken(db, ['--agent', DEMO_AGENT]);
  const reader = await createToken(db, ['--reader', 'auditor']);
  const collector = await startCollectorProcess(t, db);
  // Seven answers in ten lost: about two lost answers for each report stored, so a few dozen reports
  // reach the hundred.
  const proxy = await startDroppingProxy({ upstreamPort: collector.port, probability: 0.7, maxDrops: DROPS });
  t.teardown(() => proxy.close());
  const estate = chainEstate(join(root, 'estate'), proxy.reportsUrl, token, { settle: '100ms' });
  const agent = startAgent(['-c', estate.configFile, ...FAST_RETRY]);
  t.teardown(() => agent.child.kill('SIGKILL'));
  const writer = setInterval(() => appendFileSync(join(estate.root, 'offline-media.jsonl'), '\n'), 150);
  t.teardown(() => clearInterval(writer));
  await until(() => proxy.dropped() >= DROPS, `${DROPS} lost answers`, 800_000);
  clearInterval(writer);
  await until(() => outboxFiles(estate.stateDir).reports.length <= 2, 'the outbox to drain', 300_000);
  agent.child.kill('SIGTERM');
  t.same(await agent.exited, { code: 0, signal: null }, 'the agent stops cleanly');
  const once = startAgent(['-c', estate.configFile, '--once', ...FAST_RETRY]);
  t.same(await once.exited, { code: 0, signal: null }, '--once: everything delivered');

  const produced = (JSON.parse(readFileSync(join(estate.stateDir, 'sequence.json'), 'utf8')) as { last: number }).last;
  const counts = tally(await storedRows(db));
  t.equal(proxy.dropped(), DROPS, `${DROPS} answers were lost`);
  t.equal(counts.rows, produced, 'one row per report made');
  t.equal(counts.duplicateRows, 0, 'no report stored twice');
  t.same(counts.repeatedSeqs, [], 'no seq stored twice');
  t.same(counts.missingSeqs, [], 'no seq missing');
  t.same(outboxFiles(estate.stateDir), { reports: [], temp: [], other: [] }, 'the outbox is empty');
  const metrics = (await get(`${collector.url}/metrics`, reader)).text;
  const duplicates = sample(metrics, 'backup321_collector_ingest_total', 'outcome="duplicate"');
  const stored = sample(metrics, 'backup321_collector_ingest_total', 'outcome="stored"');
  t.equal(stored, produced, 'the collector stored each report once');
  // Each lost answer made the agent send that report again, and the collector said "already stored".
  t.equal(duplicates, DROPS, 'each lost answer was followed by a send the collector answered 200');
  t.comment(
    `lost-acks: ${proxy.dropped()} answers lost after the commit (${JSON.stringify(proxy.drops)}), ` +
      `${proxy.passed} passed; ${produced} reports made, ${counts.rows} rows, ${counts.distinctReportIds} distinct reportIds, ` +
      `${counts.duplicateRows} duplicate rows, ${counts.missingSeqs.length} seqs missing; the collector answered ` +
      `${stored} stored and ${duplicates} "already stored"; outbox left: 0`,
  );
  collector.child.kill('SIGTERM');
  t.equal((await collector.exited).code, 0, 'the collector stops cleanly');
});

async function sameIdAtOnce(t: Test, root: string, db: CollectorDb): Promise<void> {
  const tokens = await createAgentTokens(db, Array<string>(TOKENS).fill(DEMO_AGENT));
  const collector = await startCollectorProcess(t, db);
  const report = { ...(await demoSummary(join(root, 'demo'))), reportId: 'one-report-many-sends' };
  report.agent = { ...report.agent, id: DEMO_AGENT };
  const body = Buffer.from(JSON.stringify(report));
  const statuses = await Promise.all(
    Array.from({ length: SAME_ID_SENDS }, (_, i) => post(collector.reportsUrl, tokens[i % TOKENS] as string, body)),
  );
  const count = (status: number) => statuses.filter((s) => s === status).length;
  t.equal(count(201), 1, 'stored once');
  t.equal(count(200), SAME_ID_SENDS - 1, 'every other send: already stored');
  const rows = await storedRows(db);
  t.equal(rows.filter((row) => row.reportId === report.reportId).length, 1, 'one row');
  const before = await storedBody(db, report.reportId);
  const hashBefore = rows[0]?.bodyHash;

  const changed: SummaryReport & { note?: string } = { ...report, note: 'another body under the same reportId' };
  t.equal(
    await post(collector.reportsUrl, tokens[0] as string, Buffer.from(JSON.stringify(changed))),
    409,
    'another body: 409',
  );
  const after = await storedRows(db);
  t.equal(after.length, 1, 'nothing written');
  t.equal(after[0]?.bodyHash, hashBefore, 'the stored body hash is unchanged');
  t.equal(await storedBody(db, report.reportId), before, 'the stored body is unchanged');
  t.notMatch(before, /another body/, 'and it is the first body');
  t.comment(
    `lost-acks (${db.kind}): one reportId sent ${SAME_ID_SENDS} times at once: ${count(201)}×201, ${count(200)}×200, ` +
      `other ${SAME_ID_SENDS - count(201) - count(200)}; rows ${after.length}; another body: 409, stored body unchanged`,
  );
  collector.child.kill('SIGTERM');
  t.equal((await collector.exited).code, 0, 'the collector stops cleanly');
}

/** One POST on a connection of its own (no pool: the 1,000 are really at once); its status. */
function post(url: string, token: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': String(body.length),
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

t.test(`one reportId ${SAME_ID_SENDS} times at once, then another body under it (SQLite)`, async (t) => {
  const root = t.testdir();
  await sameIdAtOnce(t, root, sqliteDb(join(root, 'collector')));
});

await whenPostgres(t, `one reportId ${SAME_ID_SENDS} times at once on PostgreSQL`, () => {
  t.test(`one reportId ${SAME_ID_SENDS} times at once, then another body under it (PostgreSQL)`, async (t) => {
    await sameIdAtOnce(t, t.testdir(), await postgresDb(t));
  });
});
