// docs/issue-codes.md, written from the code registry (`npm run codes`): the docs' table cannot drift from it.
import { type Code, CODES, PHRASES } from './codes.js';

const cell = (text: string): string => text.replaceAll('|', '\\|');
const template = (text: string): string => `\`${text.replaceAll('`', "'")}\``;

export function issueCodesMarkdown(): string {
  const codes = (Object.keys(CODES) as Code[]).map((code) => {
    const entry = CODES[code];
    if (entry.kind === 'error') return `| \`${code}\` | thrown (an Error's \`code\`) | ${cell(entry.summary)} | |`;
    const phrases = 'phrases' in entry ? ` (phrase: ${entry.phrases.map((name) => `{${name}}`).join(', ')})` : '';
    return `| \`${code}\` | ${entry.severity.join(' or ')} | ${cell(entry.summary)} | ${cell(template(entry.message))}${phrases} |`;
  });
  const phrases = Object.entries(PHRASES).map(([key, text]) => `| \`${key}\` | ${cell(template(text))} |`);
  return [
    '# Codes',
    '',
    '<!-- Generated from src/codes.ts by `npm run codes`; edit the registry, not this file (a test compares them). -->',
    '',
    'Every source issue in a report (`sources[].issues[]`, `drills.issues[]`) and every error the CLI',
    'stops on carries one of these stable codes: match on the code, never on the message text. A source',
    "issue's `message` is English, filled from the template below with the issue's `params`; the",
    'text, markdown and HTML formats show the same template in the report language (`--lang vi`) with',
    'the same params. Values (paths, ids, times, the system error in `{detail}`) are shown as they are.',
    '',
    '| code | severity | meaning | message (English) |',
    '|---|---|---|---|',
    ...codes,
    '',
    '## Phrases',
    '',
    'A param marked as a phrase holds one of these keys (several are joined with `+` and shown one after',
    'another): the part of a message that differs between the places that raise the code. Its own',
    "{params} are the issue's params.",
    '',
    '| key | English |',
    '|---|---|',
    ...phrases,
    '',
  ].join('\n');
}
