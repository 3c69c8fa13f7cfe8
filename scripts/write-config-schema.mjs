// Writes schema/agent.config.schema.json from the schema in src/config/schema.ts (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { configSchema } from '../dist/config/schema.js';

writeFileSync(
  new URL('../schema/agent.config.schema.json', import.meta.url),
  `${JSON.stringify(configSchema, null, 2)}\n`,
);
console.log('wrote schema/agent.config.schema.json');
