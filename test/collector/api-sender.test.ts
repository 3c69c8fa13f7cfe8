// The agent's real sender (src/agent) against the real collector on a SQLite file: reports arrive in
// seq order, gzipped; the outbox drains; one already stored is a 200 and leaves the outbox; a reportId
// stored with another body is a 409 and goes to dead-letter/ with its reason.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { openOutbox } from '../../src/agent/outbox.js';
import { createSender } from '../../src/agent/sender.js';
import { receivedBody } from '../../src/collector/store/body.js';
import type { SummaryReport } from '../../src/report-schema/types.js';
import { startApi } from './api-fixture.js';
import { sqliteBackend } from './store-backends.js';
import { demoBase, vary } from './store-fixture.js';

const base = demoBase(t);

t.test('the agent sender drains its outbox into the collector; a 409 goes to dead-letter/', async (t) => {
  const api = await startApi(t, sqliteBackend);
  const logger = pino({ level: 'silent' });
  const reports = [1, 2, 3, 4, 5].map((seq) =>
    vary(base(), { agentId: 'agent-1', seq, at: seq, reportId: `agent-1-instance-1-${seq}` }),
  );
  const earlier = (report: SummaryReport) =>
    api.store.ingest(report, receivedBody(report, 1), { receivedAt: new Date(api.clock.at), tokenId: null });
  // Seq 2 came before (its answer was lost): 200. Seq 4's id was used for another body: 409.
  await earlier(reports[1] as SummaryReport);
  await earlier({ ...(reports[3] as SummaryReport), trigger: 'manual' });
  const outbox = await openOutbox({ dir: join(t.testdir(), 'outbox'), maxReports: 100, maxBytes: 2 ** 30, logger });
  for (const report of reports) {
    await outbox.add({ reportId: report.reportId, seq: report.seq as number, build: () => JSON.stringify(report) });
  }
  const dead: Array<[number, number]> = [];
  const sent: number[] = [];
  const sender = createSender({
    outbox,
    endpoint: `${api.collector.url}/api/v1/reports`,
    token: () => api.tokens.agent,
    logger,
    gzip: true,
    events: { sent: (entry) => sent.push(entry.seq), deadLettered: (entry, status) => dead.push([entry.seq, status]) },
  });
  t.teardown(() => sender.stop());
  t.same(await sender.drain(), { sent: 4, remaining: 0 });
  t.same(sent, [1, 2, 3, 5]);
  t.same(dead, [[4, 409]]);
  t.equal(outbox.depth().reports, 0, 'the outbox is empty');
  const letters = readdirSync(join(dirname(outbox.dir), 'dead-letter')).sort();
  t.equal(letters.length, 2);
  const reason = JSON.parse(readFileSync(join(dirname(outbox.dir), 'dead-letter', letters[1] as string), 'utf8'));
  t.match(reason, { seq: 4, status: 409 });
  t.match(reason.answer, /stored before with another body/);
  const page = await api.store.reports('agent-1', { limit: 10 });
  t.same(
    page.reports.map((r) => r.seq),
    [5, 4, 3, 2, 1],
  );
  t.equal(
    (await api.store.report('agent-1-instance-1-4'))?.trigger,
    'manual',
    'the conflicting body did not overwrite',
  );
});
