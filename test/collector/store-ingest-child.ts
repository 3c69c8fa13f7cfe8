// A collector's store in a process of its own, for the kill -9 test: ingests the report in REPORT_FILE
// under new reportIds, 8 at a time without end, and prints each reportId once its ingest resolved
// (the moment the collector would answer 201). The parent kills it with SIGKILL mid-stream.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { receivedBody } from '../../src/collector/store/body.js';
import { openStore } from '../../src/collector/store/open.js';
import type { SummaryReport } from '../../src/report-schema/types.js';

const [file, reportFile] = process.argv.slice(2) as [string, string];
const template = JSON.parse(readFileSync(reportFile, 'utf8')) as SummaryReport;
const store = await openStore(file, { logger: pino({ level: 'silent' }) });
let seq = 0;
async function sender(n: number): Promise<never> {
  for (;;) {
    const report = { ...template, reportId: randomUUID(), seq: ++seq, agent: { ...template.agent, id: `agent-${n}` } };
    const { outcome } = await store.ingest(report, receivedBody(report, 1), { receivedAt: new Date(), tokenId: null });
    if (outcome === 'stored') process.stdout.write(`${report.reportId}\n`);
  }
}
await Promise.all(Array.from({ length: 8 }, (_, n) => sender(n)));
