// Fault suite, fuzzing: the collector's report validation (src/collector/validate-report.ts), the
// first thing every received body meets. Thousands of inputs per property: arbitrary JSON, a real
// summary report with one place changed, removed or typed wrong, and bodies nested deep. It never
// throws; a refusal is a 400 whose JSON pointer names a place in the body (or the missing field in its
// parent), on the changed place's branch when one place was changed; valid reports stay valid.
import fc from 'fast-check';
import t from 'tap';
import { isApiProblem } from '../../src/collector/problems.js';
import { MAX_DEPTH, reportValidator } from '../../src/collector/validate-report.js';
import { demoBase } from '../collector/store-fixture.js';
import { applied, mutationOf, RUNS, related, type Segment, valueAt } from '../helpers/faults-fuzz-mutate.js';

const base = demoBase(t);
const validate = reportValidator();

const segments = (pointer: string): string[] =>
  pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

/** Whether the pointer names a place in the document, or a missing key of an object that is there. */
function names(document: unknown, pointer: string): boolean {
  const path = segments(pointer);
  if (valueAt(document, path) !== undefined) return true;
  const parent = valueAt(document, path.slice(0, -1));
  return parent !== null && typeof parent === 'object';
}

/** The validator's answer, checked for the promises every answer keeps; true when refused. */
function judged(document: unknown): { refused: boolean; path: string } {
  const answer = validate(document);
  if (!isApiProblem(answer)) return { refused: false, path: '' };
  if (answer.status !== 400 || answer.body.error !== 'invalid') throw new Error(`not a 400: ${answer.status}`);
  const path = String(answer.body.path);
  if (!names(document, path)) throw new Error(`the path ${path} names nothing in the body`);
  if (!answer.body.message.startsWith(path || '(document)'))
    throw new Error('the message does not start with the path');
  return { refused: true, path };
}

t.test('arbitrary JSON: never a throw, every refusal names a place', async (t) => {
  let refused = 0;
  let runs = 0;
  const keys = fc.constantFrom('kind', 'schemaVersion', 'reportId', 'agent', 'seq', 'datasets', 'summary', 'trigger');
  const reportish = fc.dictionary(keys, fc.jsonValue({ maxDepth: 4 }), { maxKeys: 8 });
  fc.assert(
    fc.property(fc.oneof(fc.jsonValue({ maxDepth: 6 }), reportish), (document) => {
      runs++;
      if (judged(document).refused) refused++;
    }),
    { numRuns: RUNS },
  );
  t.equal(refused, runs, 'nothing arbitrary passes for a report');
  t.comment(`report validation, arbitrary JSON: ${runs} inputs, ${refused} refused with a path, 0 throws`);
});

t.test('a valid report with one place changed: refused on that branch, or still valid', async (t) => {
  const report = base();
  t.equal(judged(report).refused, false, 'the report itself is valid');
  let refused = 0;
  let accepted = 0;
  let runs = 0;
  const depths = new Map<number, number>();
  fc.assert(
    fc.property(mutationOf(report), (mutation) => {
      runs++;
      const { refused: no, path } = judged(applied(report, mutation));
      if (!no) {
        accepted++;
        return true;
      }
      refused++;
      const at = segments(path);
      depths.set(at.length, (depths.get(at.length) ?? 0) + 1);
      // A removed array item shifts the ones after it: the parent array's branch is the place.
      const changed: Segment[] = mutation.kind === 'remove' ? mutation.path.slice(0, -1) : mutation.path;
      return related(at, changed);
    }),
    { numRuns: RUNS },
  );
  t.ok(refused > RUNS / 10, 'many changes are refused');
  const deepest = Math.max(...depths.keys());
  t.ok(deepest >= 4, `refusals reach deep places (depth ${deepest})`);
  t.comment(
    `report validation, one place of a real report changed: ${runs} inputs, ${refused} refused on the changed branch (path depths ${[
      ...depths,
    ]
      .sort((a, b) => a[0] - b[0])
      .map(([d, n]) => `${d}:${n}`)
      .join(' ')}), ${accepted} still valid`,
  );
});

t.test('nested deep anywhere: refused at a place past the limit, never a throw', async (t) => {
  const report = base();
  let runs = 0;
  const places = fc.constantFrom<Segment[]>(
    [],
    ['extra'],
    ['datasets', 0, 'extra'],
    ['agent', 'host', 'x'],
    ['datasets', 0, 'findings', 0, 'params'],
  );
  fc.assert(
    fc.property(places, fc.integer({ min: 1, max: 3000 }), fc.boolean(), (place, depth, useObjects) => {
      runs++;
      let value: unknown = 1;
      for (let i = 0; i < depth; i++) value = useObjects ? { a: value } : [value];
      const document = place.length === 0 ? value : applied(report, { kind: 'add', path: place, value });
      const { refused, path } = judged(document);
      const total = place.length + depth;
      if (total > MAX_DEPTH) return refused && segments(path).length === MAX_DEPTH;
      return true;
    }),
    { numRuns: RUNS },
  );
  t.pass('held');
  t.comment(
    `report validation, bodies nested 1–3000 deep at 5 places: ${runs} inputs, every one past ${MAX_DEPTH} refused at depth ${MAX_DEPTH}`,
  );
});

t.test('valid reports stay valid: keys in any order, unknown fields added', async (t) => {
  const report = base();
  let runs = 0;
  const shuffle = (value: unknown, seed: number): unknown => {
    if (Array.isArray(value)) return value.map((item) => shuffle(item, seed));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value).map(([k, v]) => [k, shuffle(v, seed)] as const);
    entries.sort((a, b) => ((a[0].length * seed) % 7) - ((b[0].length * seed) % 7));
    return Object.fromEntries(entries);
  };
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1000 }),
      fc.dictionary(
        fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !(k in report)),
        fc.jsonValue({ maxDepth: 3 }),
        { maxKeys: 3 },
      ),
      (seed, extra) => {
        runs++;
        return !judged({ ...(shuffle(report, seed) as object), ...extra }).refused;
      },
    ),
    { numRuns: RUNS },
  );
  t.pass('held');
  t.comment(`report validation, valid reports reordered and with unknown fields: ${runs} inputs, all accepted`);
});
