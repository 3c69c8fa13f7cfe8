// A collector process for the multi-process tests: opens the store (migrating it, as every collector
// does on start), ingests the report in REPORT_FILE COUNT times at once, prints the outcomes' counts.
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { receivedBody } from '../../src/collector/store/body.js';
import { openStore } from '../../src/collector/store/open.js';
import type { SummaryReport } from '../../src/report-schema/types.js';

const [url, schema, reportFile, count] = process.argv.slice(2) as [string, string, string, string];
const report = JSON.parse(readFileSync(reportFile, 'utf8')) as SummaryReport;
// Started together: all wait for the same moment (B321_START_AT, ms since the epoch) before opening.
const startAt = Number(process.env.B321_START_AT ?? 0);
if (startAt > 0) await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
const store = await openStore(url, { logger: pino({ level: 'silent' }), schema, poolSize: 5 });
const outcomes = await Promise.all(
  Array.from({ length: Number(count) }, () =>
    store.ingest(report, receivedBody(report, 1), { receivedAt: new Date(), tokenId: null }),
  ),
);
const counts: Record<string, number> = {};
for (const { outcome } of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
await store.close();
process.stdout.write(`${JSON.stringify(counts)}\n`);
