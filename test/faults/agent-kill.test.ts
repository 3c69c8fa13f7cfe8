// Fault 2: the agent killed with SIGKILL at 50 random moments — starting, running, writing its outbox,
// sending — and started again each time. After each restart no partial file is left in the outbox;
// at the end every report the outbox ever held is in the collector's database, none twice.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import {
  chainEstate,
  createToken,
  DEMO_AGENT,
  FAST_RETRY,
  get,
  kill9,
  lastSeq,
  outboxFiles,
  reportIdOfFile,
  sample,
  sqliteDb,
  startAgent,
  startCollectorProcess,
  storedRows,
  tally,
} from './chain.js';
import { startDroppingProxy } from './dropping-proxy.js';

const KILLS = 50;
/** A kill within a run falls this long at most after it started (a run takes 0.5–3 s on this machine). */
const KILL_WITHIN_MS = 1500;

t.setTimeout(900_000);

t.test(`kill -9 of the agent at ${KILLS} random moments: no partial file, nothing lost, nothing twice`, async (t) => {
  const root = t.testdir();
  const db = sqliteDb(join(root, 'collector'));
  const token = await createToken(db, ['--agent', DEMO_AGENT]);
  const reader = await createToken(db, ['--reader', 'auditor']);
  const collector = await startCollectorProcess(t, db);
  // Answers held up to 150 ms: kills also fall after the collector stored a report and before the agent
  // heard so (that report must be sent again and stored once).
  const proxy = await startDroppingProxy({ upstreamPort: collector.port, probability: 0, maxDrops: 0, delayMs: 150 });
  t.teardown(() => proxy.close());
  const estate = chainEstate(join(root, 'estate'), proxy.reportsUrl, token, { settle: '100ms' });
  const outboxDir = join(estate.stateDir, 'outbox');
  const writer = setInterval(() => appendFileSync(join(estate.root, 'offline-media.jsonl'), '\n'), 200);
  t.teardown(() => clearInterval(writer));

  /** Every report a kill left in the outbox: each must reach the collector. */
  const mustArrive = new Set<string>();
  let tempLeft: string[] = [];
  let tempFilesSeen = 0;
  let partial = 0;
  let previousSeq = 0;
  for (let kill = 0; kill < KILLS; kill++) {
    const agent = startAgent(['-c', estate.configFile, ...FAST_RETRY]);
    t.teardown(() => agent.child.kill('SIGKILL'));
    await agent.waitForLine((line) => line.event === 'started', 120_000);
    // The outbox was opened: what the last kill cut short is gone.
    const now = outboxFiles(estate.stateDir);
    const stale = tempLeft.filter((name) => now.temp.includes(name));
    if (stale.length > 0) t.fail(`kill ${kill}: temp files of the last kill still there after the restart: ${stale}`);
    // Half the kills within a run (its reads, its seq, its outbox write), half just after one (its send).
    if (kill % 2 === 0) {
      await agent.waitForLine((line) => line.event === 'run-started', 120_000);
      await sleep(Math.random() * KILL_WITHIN_MS);
    } else {
      await agent.waitForLine((line) => line.event === 'run-finished', 120_000);
      await sleep(Math.random() * 400);
    }
    await kill9(agent);

    const left = outboxFiles(estate.stateDir);
    tempLeft = left.temp;
    tempFilesSeen += left.temp.length;
    for (const name of left.reports) {
      // A report under its own name is whole: the write goes to a temp file, renamed once synced.
      let body: { seq?: number; reportId?: string; kind?: string } = {};
      try {
        body = JSON.parse(readFileSync(join(outboxDir, name), 'utf8'));
      } catch {
        // Removed by a send between the listing and the read, or not whole.
      }
      if (body.reportId !== undefined) {
        if (body.reportId !== reportIdOfFile(name) || body.seq !== Number(name.slice(0, 12)) || body.kind !== 'summary')
          partial++;
        mustArrive.add(body.reportId);
      } else if (outboxFiles(estate.stateDir).reports.includes(name)) partial++;
    }
    // Absent until the first seq is handed out: a kill may come before.
    const seq = lastSeq(estate.stateDir);
    if (seq < previousSeq) t.fail(`kill ${kill}: sequence.json went back from ${previousSeq} to ${seq}`);
    previousSeq = seq;
  }
  clearInterval(writer);
  t.equal(partial, 0, 'no report file was ever partial or under a wrong name');

  const once = startAgent(['-c', estate.configFile, '--once', ...FAST_RETRY]);
  t.same(await once.exited, { code: 0, signal: null }, '--once after the last kill: everything delivered');
  t.same(outboxFiles(estate.stateDir), { reports: [], temp: [], other: [] }, 'the outbox is empty, no temp file');

  const rows = await storedRows(db);
  const counts = tally(rows);
  const stored = new Set(rows.map((row) => row.reportId));
  const lost = [...mustArrive].filter((id) => !stored.has(id));
  t.same(lost, [], 'every report a kill left in the outbox is in the database');
  t.equal(counts.duplicateRows, 0, 'no report stored twice');
  t.same(counts.repeatedSeqs, [], 'no seq stored under two reportIds (nothing made again after a kill)');
  const made = lastSeq(estate.stateDir);
  t.ok(counts.maxSeq <= made, 'no seq beyond the last one handed out');
  const metrics = (await get(`${collector.url}/metrics`, reader)).text;
  const resent = sample(metrics, 'backup321_collector_ingest_total', 'outcome="duplicate"') ?? 0;
  t.comment(
    `agent-kill: ${KILLS} kills -9; ${mustArrive.size} distinct reports found in the outbox after kills, all stored (${lost.length} lost); ` +
      `${made} seqs handed out, ${counts.rows} rows, ${counts.distinctReportIds} distinct reportIds, ${counts.duplicateRows} duplicates; ` +
      `${counts.missingSeqs.length} seqs never stored (taken, then killed before the report was queued); ` +
      `${resent} sends answered "already stored" (stored, killed before the ack); ${tempFilesSeen} temp files left by kills, all gone after the restart`,
  );
  collector.child.kill('SIGTERM');
  t.equal((await collector.exited).code, 0, 'the collector stops cleanly');
});
