// Tests the parser of recorded checksums: sha256sum (text and binary mode), BSD style, bare digests.

import t from 'tap';
import { isChecksumFile, parseChecksumFile, sidecarChecksumFor } from '../../src/integrity/checksum-file.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const MIXED = 'AbCdEf0123456789'.repeat(4);

t.test('a GNU sha256sum line in text mode gives the digest and the name', async (t) => {
  t.same(parseChecksumFile(`${A}  erp/db-2026-11-24.dump\n`), {
    entries: [{ sha256: A, file: 'erp/db-2026-11-24.dump' }],
    badLines: [],
  });
});

t.test('a binary-mode line ("*name") drops the marker', async (t) => {
  t.same(parseChecksumFile(`${A} *db.dump`).entries, [{ sha256: A, file: 'db.dump' }]);
});

t.test('a leading "./" is removed and an upper-case digest is lowered', async (t) => {
  t.same(parseChecksumFile(`${MIXED}  ./db.dump`).entries, [{ sha256: MIXED.toLowerCase(), file: 'db.dump' }]);
});

t.test('a BSD-style line ("SHA256 (name) = digest") is read', async (t) => {
  t.same(parseChecksumFile(`SHA256 (mail.tar.zst) = ${B}`).entries, [{ sha256: B, file: 'mail.tar.zst' }]);
});

t.test('a sidecar holding only the digest gives an entry with no name', async (t) => {
  t.same(parseChecksumFile(`${A}\n`).entries, [{ sha256: A, file: '' }]);
});

t.test('blank lines, comments and CRLF line ends are not errors', async (t) => {
  const parsed = parseChecksumFile(`# made by backup.sh\r\n\r\n${A}  one.dump\r\n   \r\n${B}  two.dump\r\n`);
  t.same(parsed.entries, [
    { sha256: A, file: 'one.dump' },
    { sha256: B, file: 'two.dump' },
  ]);
  t.same(parsed.badLines, []);
});

t.test('bad lines are reported by 1-based line number and the good ones still read', async (t) => {
  const text = [
    `${A}  good.dump`, // 1
    'not a checksum', // 2
    `${A.slice(1)}  short-digest.dump`, // 3
    `SHA1 (x) = ${A}`, // 4
    '', // 5
    `${B}  also-good.dump`, // 6
    `${'g'.repeat(64)}  not-hex.dump`, // 7
  ].join('\n');
  const parsed = parseChecksumFile(text);
  t.same(
    parsed.entries.map((entry) => entry.file),
    ['good.dump', 'also-good.dump'],
  );
  t.same(parsed.badLines, [2, 3, 4, 7]);
});

t.test('a sidecar names its file: matched by base name, or by nothing for a bare digest', async (t) => {
  t.equal(sidecarChecksumFor(parseChecksumFile(`${A}  /backup/erp/db.dump`), 'db.dump'), A);
  t.equal(sidecarChecksumFor(parseChecksumFile(`${A}  db.dump`), 'db.dump'), A);
  t.equal(sidecarChecksumFor(parseChecksumFile(A), 'db.dump'), A);
  t.equal(sidecarChecksumFor(parseChecksumFile(`${A}  other.dump`), 'db.dump'), undefined);
  t.equal(sidecarChecksumFor(parseChecksumFile('garbage'), 'db.dump'), undefined);
});

t.test('checksum files are recognised by suffix or manifest name, and nothing else is', async (t) => {
  for (const name of ['db.dump.sha256', 'db.dump.sha256sum', 'SHA256SUMS', 'SHA256SUMS.txt', 'CHECKSUMS.sha256']) {
    t.ok(isChecksumFile(name), name);
  }
  for (const name of ['db.dump', 'sha256.dump', 'SHA256SUMS.bak', 'md5sums.txt']) {
    t.notOk(isChecksumFile(name), name);
  }
});
