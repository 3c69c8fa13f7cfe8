// The code registry is the whole list: every B321_ code the source text uses is in it, every entry is
// used, its templates are well formed, and docs/issue-codes.md is what the registry generates.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { issueCodesMarkdown } from '../src/codes-doc.js';
import { CODES, ISSUE_CODES, PHRASES, phraseParamsOf } from '../src/codes.js';

const REGISTRY = 'src/codes.ts';

function filesUnder(directory: string, suffix: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(suffix))
    .map((name) => join(directory, name));
}

/** Every B321_ code in a text, quoted or not (comments count: a comment naming a code that is gone misleads). */
const codesIn = (text: string): string[] => [...text.matchAll(/\bB321_[A-Z0-9_]*[A-Z0-9]\b/g)].map((m) => m[0]);
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
const registered = new Set(Object.keys(CODES));

t.test('every B321_ code in src/ is in the registry, and every entry is used outside it', async (t) => {
  const used = new Map<string, string[]>();
  for (const file of filesUnder('src', '.ts')) {
    if (file === REGISTRY) continue;
    for (const code of codesIn(readFileSync(file, 'utf8'))) used.set(code, [...(used.get(code) ?? []), file]);
  }
  const unknown = [...used].filter(([code]) => !registered.has(code)).map(([code, files]) => `${code} in ${files}`);
  t.same(unknown, [], 'no code outside the registry');
  t.same(
    [...registered].filter((code) => !used.has(code)),
    [],
    'no registry entry that nothing raises',
  );
  // As quoted literals (what a producer writes), not only in comments.
  const literals = new Set(
    filesUnder('src', '.ts')
      .filter((file) => file !== REGISTRY)
      .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/'(B321_[A-Z0-9_]+)'/g)].map((m) => m[1])),
  );
  t.same(
    [...registered].filter((code) => !literals.has(code)),
    [],
    'every entry is raised as a literal somewhere',
  );
});

t.test('the docs and the README name only registered codes', async (t) => {
  const files = [...filesUnder('docs', '.md'), 'README.md'];
  const stray = files.flatMap((file) =>
    codesIn(readFileSync(file, 'utf8'))
      .filter((code) => !registered.has(code))
      .map((code) => `${code} in ${file}`),
  );
  t.same(stray, []);
});

t.test('docs/issue-codes.md is generated from the registry (run `npm run codes` after changing it)', async (t) => {
  const shipped = readFileSync('docs/issue-codes.md', 'utf8');
  t.equal(shipped, issueCodesMarkdown());
  for (const code of registered) t.match(shipped, `| \`${code}\` |`, `${code} has its row`);
});

t.test('each source issue template names its phrase params, and each phrase is used by a code', async (t) => {
  for (const code of ISSUE_CODES) {
    const entry = CODES[code];
    const names = placeholders(entry.message);
    for (const name of phraseParamsOf(code)) t.ok(names.includes(name), `${code}: {${name}} is in its template`);
    t.ok(entry.severity.length > 0, `${code} has a severity`);
    t.notMatch(entry.message, /[[\]]/, `${code}: no brackets, which a renderer could take for markup`);
  }
  // A phrase is filled with values only; a name that is a phrase param anywhere would read as one.
  const phraseParams = new Set(ISSUE_CODES.flatMap((code) => phraseParamsOf(code)));
  for (const [key, text] of Object.entries(PHRASES)) {
    t.same(
      placeholders(text).filter((name) => phraseParams.has(name)),
      [],
      `${key} holds values only`,
    );
  }
});
