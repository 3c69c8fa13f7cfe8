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
  // A piece is at least 64 Ki characters and one run of small neighbours (1,024 values) more at most:
  // under 128 KiB, V8's large-object size (json-chunks.ts says why that matters).
  t.ok(longest < 128 * 1024, `the longest piece is ${longest} characters`);
});

/** A list made when read, as policy's evidence lists are: toJSON() gives its items; counts what was asked of it. */
class CountedList {
  made = 0;
  toJsonCalls = 0;
  constructor(
    readonly length: number,
    readonly itemAt: (i: number) => unknown,
  ) {}
  *[Symbol.iterator](): Generator<unknown> {
    for (let i = 0; i < this.length; i++) {
      this.made++;
      yield this.itemAt(i);
    }
  }
  toJSON(): unknown[] {
    this.toJsonCalls++;
    return [...this];
  }
}
const asCounted = (value: object) => (value instanceof CountedList ? value : undefined);

t.test('a list made when read is written from its items as they come, never made whole', async (t) => {
  const list = new CountedList(10_000, (i) => ({ copy: `local:/backup/erp/${i}.dump`, note: 'same-device' }));
  const value = { before: [1, 2], evidence: { notCounted: list }, after: 'end' };
  const expected = stringified(value);
  t.equal(list.toJsonCalls, 1, 'JSON.stringify makes it whole, through toJSON');
  list.made = 0;
  const pieces = jsonChunks(value, '  ', 1000, asCounted);
  const first = pieces.next();
  t.notOk(first.done);
  t.ok(list.made > 0 && list.made <= 2048, `${list.made} of 10,000 items made when the first piece comes`);
  const text = (first.value as string) + [...pieces].join('');
  t.equal(text, expected, 'the text JSON.stringify writes');
  t.equal(list.toJsonCalls, 1, 'toJSON was not called by the writer');
  t.equal(list.made, 10_000, 'each item made once');
});

t.test('a list written from an iterable: empty, small, and items that get their index in the whole list', async (t) => {
  const keyed = new CountedList(3000, (i) =>
    i % 2 ? { toJSON: (key: string) => ({ key }) } : i % 3 ? undefined : { i, tags: ['x', i] },
  );
  for (const value of [
    { empty: new CountedList(0, () => 1) },
    { small: new CountedList(3, (i) => i) },
    { keyed },
    [new CountedList(1500, (i) => `v${i}`), new CountedList(1, () => null)],
  ]) {
    t.equal([...jsonChunks(value, '  ', 64, asCounted)].join(''), stringified(value));
  }
  // An array can be written from stand-ins with the same JSON: small ones are still written whole.
  const numbers = Array.from({ length: 5000 }, (_, i) => ({ i }));
  const small = [{ i: 0 }];
  const standIns = (value: object) =>
    value === numbers || value === small ? (value as { i: number }[]).map((n) => ({ ...n })) : undefined;
  t.equal([...jsonChunks({ numbers, small }, '  ', 64, standIns)].join(''), stringified({ numbers, small }));
});
