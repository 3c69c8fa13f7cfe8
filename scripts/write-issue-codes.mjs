// Writes docs/issue-codes.md from the code registry in src/codes.ts (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { issueCodesMarkdown } from '../dist/codes-doc.js';

writeFileSync(new URL('../docs/issue-codes.md', import.meta.url), issueCodesMarkdown());
console.log('wrote docs/issue-codes.md');
