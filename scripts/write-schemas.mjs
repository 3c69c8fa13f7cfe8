// Writes schema/agent.config.schema.json and schema/report.schema.json from their schemas in the code
// (src/config/schema.ts, src/report-schema/schema.ts); run after `npm run build`.
import { writeFileSync } from 'node:fs';
import { configSchema } from '../dist/config/schema.js';
import { reportSchema } from '../dist/report-schema/schema.js';

for (const [name, schema] of [
  ['agent.config.schema.json', configSchema],
  ['report.schema.json', reportSchema],
]) {
  writeFileSync(new URL(`../schema/${name}`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote schema/${name}`);
}
