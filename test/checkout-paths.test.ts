// The checkout may sit anywhere: under a path with spaces, in a folder other users cannot enter. A URL's
// pathname keeps "%20" for a space, so a file path made from import.meta.url must go through fileURLToPath.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return /\.(ts|mjs|js)$/.test(entry.name) ? [path] : [];
  });
}

t.test('no path is made from a module URL with .pathname', async (t) => {
  const offenders = ['src', 'test', 'scripts']
    .flatMap(sources)
    .filter((file) => /import\.meta\.url\)\.pathname/.test(readFileSync(file, 'utf8')));
  t.same(offenders, [], 'use fileURLToPath(new URL(…, import.meta.url))');
});
