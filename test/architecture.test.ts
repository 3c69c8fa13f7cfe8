// The rules docs/architecture.md promises about the tree, checked on the source itself: no import
// cycle, arrows only down the pipeline, a pure policy and renderers, no code run from strings.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const files = sourceFiles(src);
const name = (path: string) => relative(src, path);
// Static imports, `export … from` and import() of a literal path; `import type` erases at build
// time but still ties modules together for a reader, so it counts too.
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const spec = (match[1] ?? match[2]) as string;
    found.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
  }
  return found.filter((path) => path.startsWith(src));
}

const graph = new Map(files.map((file) => [file, importsOf(file)]));

t.test('every relative import names a file of src/', async (t) => {
  const missing = [...graph].flatMap(([file, targets]) =>
    targets.filter((target) => !graph.has(target)).map((target) => `${name(file)} → ${name(target)}`),
  );
  t.same(missing, []);
});

t.test('src/ has no import cycle', async (t) => {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].map(name).join(' → '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  t.same(cycles, []);
});

// The pipeline from the top: a folder may import from its own level or any level below it.
const LEVELS: [string, number][] = [
  ['cli/', 6],
  // The service: schedules, watches and sends runs of the verifier.
  ['agent/', 6],
  // The fleet's side: stores the agents' reports, serves them (its pages reuse the report's words).
  ['collector/', 6],
  ['demo/', 5],
  ['verify/', 5],
  ['report/', 4],
  ['drills/', 3],
  ['sources/', 3],
  ['policy/', 2],
  ['integrity/', 2],
  ['host/', 2],
  ['config/', 1],
  ['state/', 1],
  ['messages/', 1],
  // What every stage names: the domain types, the code registry, the languages.
  ['model.ts', 0],
  // The report's JSON Schema, from which model.ts derives the domain types.
  ['report-schema/', 0],
  ['codes.ts', 0],
  ['lang.ts', 0],
  ['version.ts', 0],
];
// Other files at the top of src/ (errors, logging, our own logs' writers) sit just above those.
const levelOf = (file: string) => LEVELS.find(([prefix]) => name(file).startsWith(prefix))?.[1] ?? 1;

t.test('imports run down the pipeline, never back up', async (t) => {
  const upward = [...graph].flatMap(([file, targets]) =>
    targets.filter((target) => levelOf(target) > levelOf(file)).map((target) => `${name(file)} → ${name(target)}`),
  );
  t.same(upward, []);
});

t.test('the policy and the renderers touch no filesystem, network, process or clock', async (t) => {
  const IO =
    /from\s+['"]node:(fs|fs\/promises|net|http|https|child_process|worker_threads|os|dns)['"]|\bDate\.now\(\)|new Date\(\)|process\.(env|cwd|hrtime)/;
  const impure = files
    .filter((file) => /^(policy|report\/render)\//.test(name(file)))
    .filter((file) => IO.test(readFileSync(file, 'utf8')))
    .map(name);
  t.same(impure, []);
});

t.test('no code is run from strings and no internal Node API is used', async (t) => {
  const FORBIDDEN = /\beval\s*\(|\beval:\s*true|new Function\s*\(|process\.binding\s*\(/;
  t.same(files.filter((file) => FORBIDDEN.test(readFileSync(file, 'utf8'))).map(name), []);
});
