// The `freshness` and `integrity` rules.
import t from 'tap';
import { assessCopies } from '../../src/policy/assess.js';
import { checkFreshness } from '../../src/policy/freshness.js';
import { checkIntegrity } from '../../src/policy/integrity.js';
import type { Copy } from '../../src/model.js';
import type { DatasetInput } from '../../src/policy/types.js';
import { DAY, HOUR, POLICY, SHA_A, SHA_B, SHA_C, compliantCopies, copy, input, tapeCopy } from '../helpers/copies.js';

function run(check: typeof checkFreshness, copies: Copy[], overrides: Partial<DatasetInput> = {}) {
  const data = input(copies, overrides);
  return check(data, assessCopies(copies, data.policy, data.now).copies);
}

const freshness: Array<[string, () => Copy[], string, string]> = [
  ['a copy one hour old is fresh', compliantCopies, 'pass', 'ok'],
  ['a newest copy exactly at the RPO is still fresh', () => [copy({ ageMs: DAY })], 'pass', 'ok'],
  [
    'a newest copy stale by one minute fails',
    () => [copy({ ageMs: DAY + 60_000 }), copy({ ageMs: 2 * DAY })],
    'fail',
    'stale',
  ],
  ['no copies at all fails', () => [], 'fail', 'no-copies'],
  [
    'a fresh disk copy with an offline copy past offlineMaxAge fails',
    () => [copy(), tapeCopy({ ageMs: 8 * DAY })],
    'fail',
    'offline-stale',
  ],
  [
    'a corrupt newest copy does not make the dataset fresh',
    () => [
      copy({ sha256: SHA_A, recorded: { value: SHA_B, source: 'sidecar', ref: 'x.sha256' } }),
      copy({ ageMs: 2 * DAY }),
    ],
    'fail',
    'stale',
  ],
];

for (const [name, copies, status, reason] of freshness) {
  t.test(`freshness: ${name}`, async (t) => {
    t.match(run(checkFreshness, copies()), { status, reason });
  });
}

t.test('freshness: the offline age is not held against a dataset that needs no offline copy', async (t) => {
  t.match(run(checkFreshness, [copy(), tapeCopy({ ageMs: 8 * DAY })], { policy: { ...POLICY, minOffline: 0 } }), {
    status: 'pass',
  });
});

const sidecar = (value: string) => ({ value, source: 'sidecar' as const, ref: '/backup/erp.dump.sha256' });

const integrity: Array<[string, () => Copy[], string, string]> = [
  ['copies that agree pass', compliantCopies, 'pass', 'ok'],
  [
    'content that disagrees with its sidecar is corrupt',
    () => [copy({ recorded: sidecar(SHA_B) }), copy()],
    'fail',
    'corrupt',
  ],
  ['a copy outvoted by two siblings is corrupt', () => [copy(), copy(), copy({ sha256: SHA_B })], 'fail', 'corrupt'],
  ['two copies that disagree with no majority conflict', () => [copy(), copy({ sha256: SHA_B })], 'fail', 'conflict'],
  [
    'three different checksums conflict',
    () => [copy(), copy({ sha256: SHA_B }), copy({ sha256: SHA_C })],
    'fail',
    'conflict',
  ],
  [
    'copies with different names are different restore points',
    () => [copy(), copy({ name: 'other.dump', sha256: SHA_B })],
    'pass',
    'ok',
  ],
  ['an unverified copy warns', () => [copy(), tapeCopy({ recorded: undefined })], 'warn', 'unverified'],
  [
    'a copy that could not be hashed warns',
    () => [copy(), copy({ sha256: undefined, hashError: 'changed-while-hashing' })],
    'warn',
    'unverified',
  ],
  [
    'only an old corrupt copy warns (history, not a live risk)',
    () => [copy(), copy({ ageMs: 3 * DAY, recorded: sidecar(SHA_B) })],
    'warn',
    'corrupt',
  ],
  ['no copies fails', () => [], 'fail', 'no-copies'],
  [
    'an ETag MD5 is no sha256 evidence',
    () => [
      copy({
        sha256: undefined,
        recorded: { value: 'd41d8cd98f00b204e9800998ecf8427e', source: 'etag-md5', ref: 's3' },
      }),
    ],
    'warn',
    'unverified',
  ],
];

for (const [name, copies, status, reason] of integrity) {
  t.test(`integrity: ${name}`, async (t) => {
    t.match(run(checkIntegrity, copies()), { status, reason });
  });
}

t.test('integrity: a recorded checksum alone verifies a copy that cannot be read (tape)', async (t) => {
  const result = run(checkIntegrity, [copy(), tapeCopy()]);
  t.match(result, { status: 'pass', params: { verified: 2 } });
});

t.test('integrity: the tape that disagrees with two disks is the corrupt one', async (t) => {
  const tape = tapeCopy({ recorded: { value: SHA_B, source: 'media-log', ref: 'vault.jsonl:9' } });
  const result = run(checkIntegrity, [copy(), copy(), tape]);
  t.match(result, { status: 'fail', reason: 'corrupt' });
  t.same(result.evidence.notCounted, [{ copy: tape.id, note: 'corrupt' }]);
});

t.test('integrity: the restore point of a stale copy is still judged against siblings', async (t) => {
  const result = run(checkIntegrity, [
    copy({ ageMs: 2 * HOUR }),
    copy({ ageMs: 3 * DAY, sha256: SHA_B }),
    copy({ ageMs: 3 * DAY, sha256: SHA_B }),
  ]);
  t.match(
    result,
    { status: 'fail', reason: 'corrupt', params: { corrupt: 1 } },
    'the fresh copy is outvoted and corrupt',
  );
});
