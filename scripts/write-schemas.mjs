// Writes the shipped schema files (schema/agent.config.schema.json, report.schema.json and
// summary-report.schema.json) from their schemas in the code; run after `npm run build`.
import { writeFileSync } from 'node:fs';
import { configSchema } from '../dist/config/schema.js';
import { reportSchema } from '../dist/report-schema/schema.js';
import { summaryReportSchema } from '../dist/report-schema/summary-report.js';

for (const [name, schema] of [
  ['agent.config.schema.json', configSchema],
  ['report.schema.json', reportSchema],
  ['summary-report.schema.json', summaryReportSchema],
]) {
  writeFileSync(new URL(`../schema/${name}`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote schema/${name}`);
}
