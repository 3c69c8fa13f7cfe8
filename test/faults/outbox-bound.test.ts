// Fault 5: an outage longer than the outbox holds (report.outbox.maxReports: 5). The oldest reports
// are dropped first; every drop is counted in the agent's /metrics, told in a later report's
// `delivery`, and the collector shows the missing seqs as one gap, marked as dropped by the agent.
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
  storedDeliveries,
  storedRows,
  tally,
  until,
  untilAsync,
} from './chain.js';

const MAX_REPORTS = 5;
const DROPS = 15;

t.setTimeout(600_000);

t.test(
  `an outage past report.outbox.maxReports (${MAX_REPORTS}): the oldest dropped, counted, told, shown`,
  async (t) => {
    const root = t.testdir();
    const db = sqliteDb(join(root, 'collector'));
    const token = await createToken(db, ['--agent', DEMO_AGENT]);
    const reader = await createToken(db, ['--reader', 'auditor']);
    const port = await freePort();
    const healthPort = await freePort();
    let collector = await startCollectorProcess(t, db, port);
    const estate = chainEstate(join(root, 'estate'), collector.reportsUrl, token, { settle: '100ms', healthPort });
    estate.rewrite({ report: { ...(estate.config.report as object), outbox: { maxReports: MAX_REPORTS } } });
    const agent = startAgent(['-c', estate.configFile, ...FAST_RETRY]);
    t.teardown(() => agent.child.kill('SIGKILL'));
    const metrics = async () => (await get(`http://127.0.0.1:${healthPort}/metrics`)).text;
    const dropped = async () => sample(await metrics(), 'backup321_reports_dropped_total', 'reason="outbox-full"') ?? 0;

    // Before the outage: a few reports reach the collector (a gap is counted from an instance's first seq).
    await untilAsync(async () => (await storedRows(db)).length >= 3, 'three reports stored', 120_000);
    collector.child.kill('SIGTERM');
    t.equal((await collector.exited).code, 0, 'the collector stops (the outage begins)');
    const deliveredBefore = tally(await storedRows(db)).maxSeq;

    const writer = setInterval(() => appendFileSync(join(estate.root, 'offline-media.jsonl'), '\n'), 150);
    t.teardown(() => clearInterval(writer));
    await untilAsync(async () => (await dropped()) >= DROPS, `${DROPS} reports dropped`, 400_000);
    clearInterval(writer);
    const held = outboxFiles(estate.stateDir).reports;
    t.ok(held.length <= MAX_REPORTS, `the outbox holds at most ${MAX_REPORTS} reports (${held.length})`);

    collector = await startCollectorProcess(t, db, port);
    // With the collector back nothing more is dropped. The last drop is told by the report written after
    // it (the tally in outbox/drops.json is then cleared): wait for that report to be stored.
    await until(() => untold(estate.stateDir) === 0, 'the last drop told in a report', 300_000);
    const lastMade = (JSON.parse(readFileSync(join(estate.stateDir, 'sequence.json'), 'utf8')) as { last: number })
      .last;
    await untilAsync(async () => tally(await storedRows(db)).maxSeq >= lastMade, 'that report stored', 300_000);
    const counted = await dropped();
    agent.child.kill('SIGTERM');
    t.same(await agent.exited, { code: 0, signal: null }, 'the agent stops cleanly');

    const rows = await storedRows(db);
    const counts = tally(rows);
    const missing = counts.missingSeqs;
    const gapFirst = missing[0] ?? 0;
    const gapLast = missing.at(-1) ?? 0;
    t.ok(counted >= DROPS, `the agent's /metrics counts ${counted} reports dropped`);
    t.equal(missing.length, counted, 'the collector misses as many reports as the agent counted dropped');
    t.equal(gapFirst, deliveredBefore + 1, 'from the first report of the outage');
    // Oldest first: what was kept within the dropped range is at most the report being sent at a drop
    // (never dropped: the sender had it in hand), the rest of what was kept is newer than every drop.
    const keptInside = gapLast - gapFirst + 1 - missing.length;
    t.ok(keptInside <= 1, `the oldest were dropped (${keptInside} kept among them: the one being sent)`);
    t.equal(counts.duplicateRows, 0, 'none stored twice');
    const view = JSON.parse((await get(`${collector.url}/api/v1/agents/${DEMO_AGENT}`, reader)).text) as {
      gaps: Array<{ firstSeq: number; lastSeq: number; missing: number; droppedByAgent: boolean }>;
    };
    t.equal(
      view.gaps.reduce((sum, gap) => sum + gap.missing, 0),
      counted,
      'the API shows the missing reports as seq gaps',
    );
    t.ok(view.gaps.length > 0 && view.gaps.every((gap) => gap.droppedByAgent), 'each marked as dropped by the agent');
    const told = await storedDeliveries(db);
    const toldCount = told.reduce((sum, delivery) => sum + delivery.droppedReports, 0);
    t.equal(toldCount, counted, 'the reports stored tell every drop, once');
    t.ok(
      told.every((d) => d.seq > d.lastDroppedSeq && d.firstDroppedSeq >= gapFirst && d.lastDroppedSeq <= gapLast),
      'each in a later report, about seqs of the gap',
    );
    t.comment(
      `outbox-bound: maxReports ${MAX_REPORTS}; ${deliveredBefore} delivered before the outage; ${counted} dropped ` +
        `(backup321_reports_dropped_total{reason="outbox-full"}), oldest first: seq ${gapFirst}–${gapLast} ` +
        `(${keptInside} kept among them, being sent); ${held.length} held when the collector came back; ` +
        `${counts.rows} rows, ${missing.length} seqs missing at the collector, gaps ${JSON.stringify(view.gaps)}; ` +
        `told in ${told.length} reports' delivery (${toldCount} in all): ${JSON.stringify(told)}`,
    );
    collector.child.kill('SIGTERM');
    t.equal((await collector.exited).code, 0, 'the collector stops cleanly');
  },
);

/** Drops not yet told in a report (outbox/drops.json; none when it is absent). */
function untold(stateDir: string): number {
  try {
    return (JSON.parse(readFileSync(join(stateDir, 'outbox', 'drops.json'), 'utf8')) as { tally: { count: number } })
      .tally.count;
  } catch {
    return 0;
  }
}
