// Fault suite, fuzzing: the agent's config loader (src/config/load.ts). Thousands of inputs per
// property: arbitrary text and the shipped example config with characters cut or inserted (parseJson),
// and the example's document with one place changed, removed or typed wrong (configFromDocument: the
// schema, the cross-checks, the resolution). Nothing throws; every rejection names where: a line and
// column within the text for JSON syntax, a JSON path on the changed place's branch for the rest;
// the example and its reorderings stay valid.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import t from 'tap';
import { crossCheck } from '../../src/config/cross-check.js';
import { configFromDocument, expandEnvironment, parseJson } from '../../src/config/load.js';
import { findUrlCredentials } from '../../src/config/url-credentials.js';
import { validateAgainstSchema } from '../../src/config/validate.js';
import type { ConfigProblem } from '../../src/errors.js';
import { applied, junkLine, mutationOf, RUNS, related, type Segment, valueAt } from '../helpers/faults-fuzz-mutate.js';

const EXAMPLE_TEXT = readFileSync(new URL('../../agent.config.example.json', import.meta.url), 'utf8');
const EXAMPLE = JSON.parse(EXAMPLE_TEXT) as Record<string, unknown>;
const FILE = '/etc/backup321/agent.json';
/**
 * A document that passes the document's checks goes on to resolveConfig, whose schedule check asks
 * node-cron for 1,000 runs of each cron expression: ≈ 130 ms each on this machine, 250 ms a config.
 * So every input goes through the document's checks exactly as configFromDocument runs them (and
 * through configFromDocument itself when they refuse it: it stops there), and a sample of those they
 * accept goes through the whole of configFromDocument.
 */
const FULL_SAMPLE = 10;

/** The checks configFromDocument runs on the document before resolving it, in its order. */
function documentProblems(document: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const expanded = expandEnvironment(document, {}, problems);
  problems.push(...validateAgainstSchema(expanded), ...crossCheck(expanded), ...findUrlCredentials(expanded));
  return problems;
}

/** "locations[2].path" → ['locations', 2, 'path']; undefined when it is not such a path. */
function pathSegments(path: string): Segment[] | undefined {
  const parts: Segment[] = [];
  const token = /(?:^|\.)([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let at = 0;
  while (at < path.length) {
    token.lastIndex = at;
    const found = token.exec(path);
    if (!found) return undefined;
    if (found[1] !== undefined) parts.push(found[1]);
    else if (found[2] !== undefined) parts.push(Number(found[2]));
    else parts.push(JSON.parse(found[3] as string) as string);
    at = token.lastIndex;
  }
  return parts;
}

function checkProblem(problem: ConfigProblem): Segment[] {
  if (typeof problem.message !== 'string' || problem.message === '') throw new Error('a problem without words');
  const at = pathSegments(problem.path);
  if (!at) throw new Error(`not a JSON path: ${JSON.stringify(problem.path)}`);
  return at;
}

t.test('parseJson: arbitrary text never throws; a syntax error has its line and column in the text', async (t) => {
  let runs = 0;
  let placed = 0;
  const cut = fc
    .tuple(fc.nat(EXAMPLE_TEXT.length), fc.integer({ min: 1, max: 20 }), junkLine)
    .map(([at, length, inserted]) => EXAMPLE_TEXT.slice(0, at) + inserted + EXAMPLE_TEXT.slice(at + length));
  const text = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.array(junkLine, { maxLength: 8 }).map((l) => l.join('\n')),
    cut,
  );
  fc.assert(
    fc.property(text, (input) => {
      runs++;
      const parsed = parseJson(input);
      if (!parsed.problem) return 'value' in parsed;
      checkProblem(parsed.problem);
      if (parsed.problem.code !== 'config.not-json') return parsed.problem.code === 'config.not-json-unplaced';
      placed++;
      const { line, column } = parsed.problem.params as { line: number; column: number };
      const lines = input.split('\n');
      return line >= 1 && line <= lines.length && column >= 1 && column <= (lines[line - 1]?.length ?? 0) + 1;
    }),
    { numRuns: RUNS },
  );
  t.pass('held');
  t.comment(
    `config parseJson: ${runs} texts (a third the example cut and spliced), ${placed} syntax errors placed at a line and column, 0 throws`,
  );
});

t.test('one place of the example changed: refused with a path on its branch, or valid', async (t) => {
  t.ok(configFromDocument(EXAMPLE, FILE, {}).config, 'the example is valid');
  let runs = 0;
  let refused = 0;
  const passed: unknown[] = [];
  const codes = new Set<string>();
  const offBranch: string[] = [];
  fc.assert(
    fc.property(mutationOf(EXAMPLE), (mutation) => {
      runs++;
      const document = applied(EXAMPLE, mutation);
      if (!documentProblems(document).some((p) => p.severity === 'error')) {
        passed.push(document);
        return true;
      }
      // Refused by the document's checks: configFromDocument stops there, so it is called itself.
      const result = configFromDocument(document, FILE, {});
      for (const problem of result.problems) checkProblem(problem);
      const errors = result.problems.filter((p) => p.severity === 'error');
      if (result.config || errors.length === 0) return false;
      refused++;
      for (const e of errors) codes.add(e.code);
      const changed = mutation.kind === 'remove' ? mutation.path.slice(0, -1) : mutation.path;
      // Some checks name the place that refers to the changed one (a dataset's copy naming a
      // location whose id changed): then the path is a place in the document, on another branch.
      if (errors.some((e) => related(checkProblem(e), changed))) return true;
      const named = errors.every((e) => {
        const at = checkProblem(e);
        return valueAt(document, at) !== undefined || valueAt(document, at.slice(0, -1)) !== undefined;
      });
      offBranch.push(`${mutation.path.join('.')} → ${errors.map((e) => e.path).join(', ')}`);
      return named;
    }),
    { numRuns: RUNS },
  );
  t.ok(refused > RUNS / 10, 'many changes are refused');
  // The whole loader on a sample of what the document's checks let through: valid, or refused with paths.
  let fullValid = 0;
  let fullRefused = 0;
  for (const document of passed.slice(0, FULL_SAMPLE)) {
    const result = configFromDocument(document, FILE, {});
    for (const problem of result.problems) checkProblem(problem);
    if (result.config) fullValid++;
    else {
      fullRefused++;
      t.ok(
        result.problems.some((p) => p.severity === 'error'),
        'a refusal has an error',
      );
    }
  }
  t.comment(
    `config document, one place of the example changed: ${runs} inputs, ${refused} refused with a path (${codes.size} problem codes; ${refused - offBranch.length} on the changed branch, ${offBranch.length} at the place referring to it), ${passed.length} passed the document's checks (${Math.min(FULL_SAMPLE, passed.length)} of them through the whole loader: ${fullValid} valid, ${fullRefused} refused by the resolution), 0 throws`,
  );
  for (const line of [...new Set(offBranch)].slice(0, 3)) t.comment(`  e.g. ${line}`);
});

t.test('the example stays valid with its keys in any order and its text reformatted', async (t) => {
  let runs = 0;
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 10_000 }), fc.constantFrom(0, 1, 2, 4, '\t'), (seed, indent) => {
      runs++;
      const reorder = (value: unknown): unknown => {
        if (Array.isArray(value)) return value.map(reorder);
        if (value === null || typeof value !== 'object') return value;
        const entries = Object.entries(value).map(([k, v]) => [k, reorder(v)] as const);
        entries.sort((a, b) => ((a[0].charCodeAt(0) * seed) % 11) - ((b[0].charCodeAt(0) * seed) % 11));
        return Object.fromEntries(entries);
      };
      const parsed = parseJson(`\uFEFF${JSON.stringify(reorder(EXAMPLE), null, indent)}\n`);
      if (parsed.problem !== undefined) return false;
      if (runs <= FULL_SAMPLE) return configFromDocument(parsed.value, FILE, {}).config !== undefined;
      return documentProblems(parsed.value).length === 0;
    }),
    { numRuns: RUNS },
  );
  t.pass('held');
  t.comment(
    `config, the example reordered and reformatted: ${runs} inputs, all valid (${FULL_SAMPLE} through the whole loader)`,
  );
});
