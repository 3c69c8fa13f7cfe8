// Fault suite, fuzzing: the sidecar and manifest parser (src/integrity/checksum-file.ts: `.sha256`
// sidecars, SHA256SUMS manifests in sha256sum, BSD and bare-digest styles). Thousands of inputs per
// property: manifests of valid lines (every entry read back as written), the same with one line's
// digest damaged (that line number alone is bad), and junk: never a throw, and every line that is
// neither blank nor a comment is an entry or a bad line number within the text.
import fc from 'fast-check';
import t from 'tap';
import { parseChecksumFile, sidecarChecksumFor } from '../../src/integrity/checksum-file.js';
import { junkLine, RUNS } from '../helpers/faults-fuzz-mutate.js';

const hex64 = fc.stringMatching(/^[0-9a-fA-F]{64}$/);
const name = fc
  .stringMatching(/^[A-Za-z0-9._-][A-Za-z0-9 ._/()-]{0,40}$/)
  .map((n) => n.trim())
  .filter((n) => n !== '' && !n.startsWith('./') && !n.startsWith('*') && !n.startsWith('#') && !n.endsWith(')'));
type Entry = { sha256: string; file: string; style: 'gnu' | 'binary' | 'bsd' | 'bare' };
const entry: fc.Arbitrary<Entry> = fc.record({
  sha256: hex64,
  file: name,
  style: fc.constantFrom('gnu', 'binary', 'bsd', 'bare'),
});

function lineOf(e: Entry): string {
  if (e.style === 'gnu') return `${e.sha256}  ${e.file}`;
  if (e.style === 'binary') return `${e.sha256} *${e.file}`;
  if (e.style === 'bsd') return `SHA256 (${e.file}) = ${e.sha256}`;
  return e.sha256;
}

/** A digest made unreadable: cut short, a letter not hex, or a space inside. */
const damage = fc.tuple(fc.nat(63), fc.constantFrom('cut', 'g', 'space')).map(
  ([at, how]) =>
    (digest: string) =>
      how === 'cut' ? digest.slice(0, at) : `${digest.slice(0, at)}${how === 'g' ? 'g' : ' '}${digest.slice(at + 1)}`,
);

t.test('valid manifests read back; one digest damaged: that line alone is bad', async (t) => {
  fc.assert(
    fc.property(fc.array(entry, { maxLength: 10 }), fc.constantFrom('\n', '\r\n'), (entries, eol) => {
      const parsed = parseChecksumFile(`# made by sha256sum${eol}${entries.map(lineOf).join(eol)}${eol}`);
      return (
        parsed.badLines.length === 0 &&
        parsed.entries.length === entries.length &&
        parsed.entries.every(
          (got, i) =>
            got.sha256 === entries[i]?.sha256.toLowerCase() &&
            got.file === (entries[i]?.style === 'bare' ? '' : entries[i]?.file),
        )
      );
    }),
    { numRuns: RUNS },
  );
  let runs = 0;
  let bad = 0;
  fc.assert(
    fc.property(fc.array(entry, { minLength: 1, maxLength: 10 }), fc.nat(), damage, (entries, pick, hurt) => {
      runs++;
      const index = pick % entries.length;
      const lines = entries.map((e, i) => (i === index ? lineOf({ ...e, sha256: hurt(e.sha256) }) : lineOf(e)));
      const parsed = parseChecksumFile(lines.join('\n'));
      // A bare digest cut to nothing is a blank line: nothing to read, nothing to refuse.
      const blank = (lines[index] ?? '').trim() === '';
      const expected = blank ? [] : [index + 1];
      if (parsed.badLines.join() === expected.join()) {
        bad += expected.length;
        return parsed.entries.length === entries.length - 1;
      }
      return false;
    }),
    { numRuns: RUNS },
  );
  t.pass('held');
  t.comment(
    `checksum files: ${RUNS} valid manifests read back entry for entry; ${runs} with one digest damaged: ${bad} named by their line number, every other line read`,
  );
});

t.test('junk never throws; every line is blank, a comment, an entry or a bad line', async (t) => {
  let runs = 0;
  let badLines = 0;
  const line = fc.oneof(
    junkLine,
    entry.map(lineOf),
    fc.constantFrom('# comment', '   ', 'SHA256 () = ', 'SHA256 (x) = 12'),
  );
  fc.assert(
    fc.property(
      fc.array(line, { maxLength: 12 }),
      fc.constantFrom('\n', '\r\n'),
      fc.string({ maxLength: 20 }),
      (lines, eol, file) => {
        runs++;
        const text = lines.join(eol);
        const parsed = parseChecksumFile(text);
        badLines += parsed.badLines.length;
        sidecarChecksumFor(parsed, file);
        const all = text.split(/\r?\n/);
        const counted = all.filter((l) => l.trim() !== '' && !l.trim().startsWith('#')).length;
        return (
          parsed.entries.length + parsed.badLines.length === counted &&
          parsed.badLines.every((n) => n >= 1 && n <= all.length && (all[n - 1] ?? '').trim() !== '') &&
          parsed.entries.every((e) => /^[0-9a-f]{64}$/.test(e.sha256))
        );
      },
    ),
    { numRuns: RUNS },
  );
  t.pass('held');
  t.comment(
    `checksum files: ${runs} texts of junk and valid lines, ${badLines} bad lines named by number, 0 throws, every line accounted for`,
  );
});
