// The collector's canonical JSON is the one a stored body hash was made of: for any JSON a report can
// carry (names that look like numbers, escapes, lone surrogates, unicode) it writes exactly what
// config/digest.ts's canonicalJson writes, so a report sent again after an upgrade is still a duplicate.
import fc from 'fast-check';
import t from 'tap';
import { canonicalJson as reference } from '../../src/config/digest.js';
import { canonicalJson } from '../../src/collector/store/canonical-json.js';

const text = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '',
    '"',
    '\\',
    '\u0000',
    '\u001f',
    '\u007f',
    '\u2028',
    '\ud800',
    '\udfff',
    '\ud83d\ude00',
    '10',
    '9',
    '__proto__',
    'a\nb',
  ),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(text, tie('value'), { maxKeys: 6 }),
  ),
})).value;

t.test('any JSON value: the same text as the reference, also once parsed back from JSON', async (t) => {
  fc.assert(
    fc.property(json, (value) => {
      t.equal(canonicalJson(value), reference(value));
      const parsed = JSON.parse(JSON.stringify(value) ?? 'null');
      t.equal(canonicalJson(parsed), reference(parsed));
    }),
    { numRuns: 2000 },
  );
});

t.test('a report: keys sorted, no spacing, integer-like names in text order', async (t) => {
  const report = JSON.parse('{"b":[1,{"z":"é","a":null}],"10":true,"9":"x\\"y","a":{"__proto__":{"k":-0}}}');
  const expected = '{"10":true,"9":"x\\"y","a":{"__proto__":{"k":0}},"b":[1,{"a":null,"z":"é"}]}';
  t.equal(canonicalJson(report), expected);
  t.equal(reference(report), expected);
});
