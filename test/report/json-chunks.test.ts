// The JSON report in pieces: the very text JSON.stringify(value, null, 2) gives, without ever
// holding it whole, for the report's own shapes and for every odd value JSON has a rule for.
import t from 'tap';
import { jsonChunks } from '../../src/report/render/json-chunks.js';
import { renderJson, renderJsonChunks } from '../../src/report/render/json.js';
import * as policyCopies from '../helpers/copies.js';
import { evaluatedReport } from './evaluated-report.js';
import { copy, dataset, findings, report, sampleReport } from './fixture.js';

const stringified = (value: unknown, gap = '  ') => JSON.stringify(value, null, gap);
const joined = (value: unknown, gap = '  ', atLeast?: number) => [...jsonChunks(value, gap, atLeast)].join('');

t.test('every rule of JSON.stringify, at the top and nested deep enough to be written in pieces', async (t) => {
  const odd = {
    text: 'line one\nline "two"\t\u2028 ✓ Tiếng Việt \u0007',
    numbers: [0, -0, 1.5e300, Number.NaN, Number.POSITIVE_INFINITY, -1],
    skipped: undefined,
    fn: () => 1,
    sym: Symbol('x'),
    inArray: [undefined, () => 1, Symbol('y'), null, true, false],
    empty: { array: [], object: {}, onlySkipped: { a: undefined } },
    date: new Date('2026-11-25T06:00:00Z'),
    withToJson: { toJSON: (key: string) => ({ calledWith: key, list: [1, 2] }) },
    toUndefined: { toJSON: () => undefined },
    nested: [[[[{ deep: [[[]]] }]]]],
  };
  // Wide enough that no part of it counts as small: each branch is walked piece by piece.
  // Runs of small elements are stringified together: mixed with what breaks a run (a toJSON, which
  // must get its own index) and what an array writes as null.
  const mixed = Array.from({ length: 3000 }, (_, i) => {
    if (i % 7 === 0) return { toJSON: (key: string) => ({ key }) };
    if (i % 5 === 0) return undefined;
    if (i % 11 === 0) return () => i;
    if (i % 3 === 0) return { i, list: [i, 'x', { deeper: [null] }] };
    return `v${i}`;
  });
  const big = { ...odd, wide: Array.from({ length: 600 }, (_, i) => ({ i, odd })), mixed };
  for (const value of [odd, big, [odd, odd], 'top string', 42, null, true, [], {}, [undefined]]) {
    t.equal(joined(value), stringified(value));
  }
  t.equal(joined(big, '\t'), stringified(big, '\t'), 'another gap');
  t.equal(
    joined(big, '0123456789abc'),
    stringified(big, '0123456789abc'),
    'a gap cut to 10 characters, as JSON.stringify does',
  );
  t.throws(() => joined(big, ''), RangeError, 'no gap: compact JSON is not what this writes');
  t.equal(joined(big, '  ', 1), stringified(big), 'pieces of one character at least');
  // Boxed primitives are their value, however long (a String's characters are its own properties).
  const boxed = [
    new String('x'.repeat(300)),
    Object.assign(new Number(5), Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`p${i}`, i]))),
  ];
  t.equal(
    joined({ boxed, wide: Array.from({ length: 300 }, () => boxed) }),
    stringified({ boxed, wide: Array.from({ length: 300 }, () => boxed) }),
  );
  t.equal(joined(new String('y'.repeat(300))), stringified(new String('y'.repeat(300))));
  // A cycle is an error, as it is for JSON.stringify, not a walk without end.
  const cyclic: unknown[] = Array.from({ length: 300 }, (_, i) => i);
  cyclic.push({ back: cyclic });
  t.throws(() => joined(cyclic), TypeError);
  const shared = Array.from({ length: 300 }, (_, i) => i);
  t.equal(joined([shared, shared]), stringified([shared, shared]), 'the same array twice side by side is no cycle');
  t.same([...jsonChunks(undefined)], [], 'nothing where JSON.stringify gives undefined');
  t.same([...jsonChunks(() => 1)], []);
});

t.test('a report built from an evaluation (lazy evidence lists) and the sample report', async (t) => {
  const { copy: policyCopy, tapeCopy } = policyCopies;
  const built = evaluatedReport([
    ...Array.from({ length: 400 }, (_, i) => policyCopy({ device: `d${i % 3}`, path: `/backup/local/${i}.dump` })),
    tapeCopy(),
  ]);
  t.equal(renderJson(built), `${stringified(built)}\n`);
  t.equal(renderJson(sampleReport()), `${stringified(sampleReport())}\n`);
});

t.test('a big report comes in pieces of bounded size, never as one string', async (t) => {
  const many = Array.from({ length: 20_000 }, (_, i) => copy('erp', 'local', `/backup/erp/${i}.dump`));
  const big = report([dataset('erp', 'compliant', findings(), { copies: many })]);
  const pieces = [...renderJsonChunks(big)];
  const whole = pieces.join('');
  t.equal(whole, `${stringified(big)}\n`);
  t.ok(whole.length > 10_000_000, `${whole.length} characters in all`);
  const longest = Math.max(...pieces.map((piece) => piece.length));
  // A piece is at least 64 Ki characters and one run of small neighbours (4,096 values) more at most.
  t.ok(longest < 256 * 1024, `the longest piece is ${longest} characters`);
});
