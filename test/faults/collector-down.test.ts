// Fault 1: the collector is down while the agent makes 200 reports. They wait in the outbox; when the
// collector comes back every one is in its database exactly once, the seqs without a gap.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  chainEstate,
  createToken,
  DEMO_AGENT,
  FAST_RETRY,
  freePort,
  get,
  outboxFiles,
  sample,
  sqliteDb,
  startAgent,
  startCollectorProcess,
  storedRows,
  tally,
  until,
} from './chain.js';

/** FAULT_REPORTS=20 for a quick try while changing the test; the promise is about 200. */
const REPORTS = Number(process.env.FAULT_REPORTS ?? 200);

// Two reports a second at best on this machine: the 200 take minutes when it is busy.
t.setTimeout(900_000);

t.test(`the collector down while the agent makes ${REPORTS} reports: each stored once, no seq missing`, async (t) => {
  const root = t.testdir();
  const db = sqliteDb(join(root, 'collector'));
  const token = await createToken(db, ['--agent', DEMO_AGENT]);
  const reader = await createToken(db, ['--reader', 'auditor']);
  const port = await freePort();
  const healthPort = await freePort();
  // Nothing listens on the port yet: the collector is down from the agent's first send.
  const estate = chainEstate(root, `http://127.0.0.1:${port}/api/v1/reports`, token, { settle: '100ms', healthPort });
  const agent = startAgent(['-c', estate.configFile, ...FAST_RETRY]);
  t.teardown(() => agent.child.kill('SIGKILL'));

  // A run every second (the shortest cron), a heartbeat for each one skipped while a run goes on, and
  // a watched log written to every 150 ms so that the next run starts as soon as one ends.
  const media = join(root, 'offline-media.jsonl');
  const writer = setInterval(() => appendFileSync(media, '\n'), 150);
  t.teardown(() => clearInterval(writer));
  await until(() => outboxFiles(estate.stateDir).reports.length >= REPORTS, `${REPORTS} reports waiting`, 800_000);
  clearInterval(writer);
  const waiting = outboxFiles(estate.stateDir).reports.length;
  const page = (await get(`http://127.0.0.1:${healthPort}/metrics`)).text;
  const failures = sample(page, 'backup321_send_failures_total', 'reason="network"') ?? 0;
  t.ok(failures > 0, 'the agent tried to send and failed meanwhile');

  const collector = await startCollectorProcess(t, db, port);
  // The outbox drains while the agent goes on making a report a second or so.
  try {
    await until(() => outboxFiles(estate.stateDir).reports.length <= 2, 'the outbox to drain', 300_000);
  } catch (error) {
    t.comment(JSON.stringify(agent.lines.filter((l) => l.component === 'sender').slice(-15)));
    t.comment(collector.stdout().slice(-3000));
    throw error;
  }
  agent.child.kill('SIGTERM');
  t.same(await agent.exited, { code: 0, signal: null }, 'the agent stops cleanly');
  // What the stop left waiting goes with one more cycle, which makes one more report.
  const once = startAgent(['-c', estate.configFile, '--once', ...FAST_RETRY]);
  t.same(await once.exited, { code: 0, signal: null }, '--once: everything delivered');

  const produced = (JSON.parse(readFileSync(join(estate.stateDir, 'sequence.json'), 'utf8')) as { last: number }).last;
  const rows = await storedRows(db);
  const counts = tally(rows);
  t.ok(produced >= REPORTS + 1, `the agent made ${produced} reports`);
  t.equal(counts.rows, produced, 'one row per report made');
  t.equal(counts.duplicateRows, 0, 'no report stored twice');
  t.same(counts.repeatedSeqs, [], 'no seq stored twice');
  t.same(counts.missingSeqs, [], 'no seq missing');
  t.equal(counts.maxSeq, produced, 'up to the last seq made');
  t.same(outboxFiles(estate.stateDir), { reports: [], temp: [], other: [] }, 'the outbox is empty');
  const agentView = await get(`${collector.url}/api/v1/agents/${DEMO_AGENT}`, reader);
  t.same(JSON.parse(agentView.text).gaps, [], 'the collector shows no gap');

  const triggers: Record<string, number> = {};
  for (const row of rows) triggers[row.trigger] = (triggers[row.trigger] ?? 0) + 1;
  t.comment(
    `collector-down: ${waiting} reports waited in the outbox while the collector was down (${failures} failed sends); ` +
      `${produced} made in all, ${counts.rows} rows stored, ${counts.distinctReportIds} distinct reportIds, ` +
      `${counts.duplicateRows} duplicates, ${counts.missingSeqs.length} seqs missing; by trigger ${JSON.stringify(triggers)}`,
  );
  collector.child.kill('SIGTERM');
  t.equal((await collector.exited).code, 0, 'the collector stops cleanly');
});
