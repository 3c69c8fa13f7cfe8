// Writes the OpenAPI document into docs/collector-api.md, between its markers (run after `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';
import { openApiDocument } from '../dist/collector/openapi.js';

const file = new URL('../docs/collector-api.md', import.meta.url);
const text = readFileSync(file, 'utf8');
const begin = '<!-- openapi:begin -->';
const end = '<!-- openapi:end -->';
const at = text.indexOf(begin);
const until = text.indexOf(end);
if (at === -1 || until < at) throw new Error(`docs/collector-api.md has no ${begin} … ${end}`);
const block = `${begin}\n\`\`\`json\n${JSON.stringify(openApiDocument(), null, 2)}\n\`\`\`\n`;
writeFileSync(file, `${text.slice(0, at)}${block}${text.slice(until)}`);
console.log('wrote the OpenAPI document into docs/collector-api.md');
