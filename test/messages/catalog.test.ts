// Every message a command prints about its own input is in both catalogs: the same codes, the same
// placeholders, and Vietnamese words where the English has words (not the English left in place).
import t from 'tap';
import { configSchema } from '../../src/config/schema.js';
import { CATALOGS, schemaDescription } from '../../src/messages/index.js';
import { viSchemaDescriptions } from '../../src/messages/vi-schema.js';
import { VIETNAMESE } from '../helpers/vietnamese.js';

const placeholders = (template: string): string[] => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

/** Words to translate: what is left without placeholders, quoted values, option names and paths. */
const words = (template: string): string =>
  template
    .replace(/\{\w+\}/g, '')
    .replace(/"[^"]*"|'[^']*'|--[\w-]+|\S*[/\\]\S*/g, '')
    .replace(/[^A-Za-z]+/g, ' ')
    .trim();

t.test('the English and the Vietnamese catalog have the same codes', async (t) => {
  t.same(Object.keys(CATALOGS.vi).sort(), Object.keys(CATALOGS.en).sort());
  t.ok(Object.keys(CATALOGS.en).length > 200, `${Object.keys(CATALOGS.en).length} codes`);
});

t.test(
  'each code takes the same placeholders in both languages, and Vietnamese words where English has words',
  async (t) => {
    for (const [code, english] of Object.entries(CATALOGS.en)) {
      const vietnamese = (CATALOGS.vi as Record<string, string>)[code] ?? '';
      t.same(placeholders(vietnamese), placeholders(english), `${code}: the same placeholders`);
      if (words(english) === '') continue; // "{advice}": nothing of its own to translate
      t.match(vietnamese, VIETNAMESE, `${code}: Vietnamese: ${vietnamese}`);
      t.not(vietnamese, english, `${code}: not the English text`);
    }
  },
);

t.test('a hint belongs to a problem: its code without ".hint"', async (t) => {
  const codes = Object.keys(CATALOGS.en);
  const problems = codes.filter((code) => codes.includes(`${code}.hint`));
  t.ok(problems.length > 50, `${problems.length} problem codes`);
  for (const code of codes.filter((c) => c.endsWith('.hint'))) {
    t.ok(codes.includes(code.slice(0, -'.hint'.length)), `${code} belongs to a problem or a kind`);
  }
});

/** Every description in the config schema: the hint of a problem where no better one is known. */
function descriptions(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) descriptions(item, out);
  else if (node !== null && typeof node === 'object') {
    const { description } = node as { description?: unknown };
    if (typeof description === 'string') out.add(description);
    for (const value of Object.values(node)) descriptions(value, out);
  }
  return out;
}

t.test('every description of the config schema has its Vietnamese, and the table has no stale one', async (t) => {
  const all = descriptions(configSchema);
  t.ok(all.size > 40, `${all.size} descriptions`);
  for (const english of all) {
    const { vi } = schemaDescription(english);
    t.match(vi, VIETNAMESE, `Vietnamese for: ${english}`);
    t.not(vi, english, `translated: ${english}`);
  }
  t.same(
    Object.keys(viSchemaDescriptions).filter((english) => !all.has(english)),
    [],
    'no description the schema lost',
  );
});
