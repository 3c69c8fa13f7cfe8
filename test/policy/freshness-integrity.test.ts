// The `freshness` and `integrity` rules.
import t from 'tap';
import { assessCopies } from '../../src/policy/assess.js';
import { takeCensus } from '../../src/policy/census.js';
import { checkFreshness } from '../../src/policy/freshness.js';
import { checkIntegrity } from '../../src/policy/integrity.js';
import type { Copy } from '../../src/model.js';
import type { DatasetInput } from '../../src/policy/types.js';
import { DAY, HOUR, POLICY, SHA_A, SHA_B, SHA_C, compliantCopies, copy, input, tapeCopy } from '../helpers/copies.js';

function run(check: typeof checkFreshness, copies: Copy[], overrides: Partial<DatasetInput> = {}) {
  const data = input(copies, overrides);
  const assessed = assessCopies(copies, data.policy, data.now).copies;
  return check(data, assessed, takeCensus(assessed));
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

t.test(
  'integrity: a tape an operator read back (media-log verified) is verified, though it cannot be read here',
  async (t) => {
    const result = run(checkIntegrity, [copy(), tapeCopy()]);
    t.match(result, { status: 'pass', params: { verified: 2 } });
  },
);

t.test('integrity: the tape that disagrees with two disks is the corrupt one', async (t) => {
  const tape = tapeCopy({ recorded: { value: SHA_B, source: 'media-log', ref: 'vault.jsonl:9' } });
  const result = run(checkIntegrity, [copy(), copy(), tape]);
  t.match(result, { status: 'fail', reason: 'corrupt' });
  t.same([...(result.evidence.notCounted ?? [])], [{ copy: tape.id, note: 'outvoted' }]);
});

t.test('integrity: the restore point of a stale copy is still judged against siblings', async (t) => {
  const result = run(checkIntegrity, [
    copy({ ageMs: 2 * HOUR, name: 'erp-latest.dump', sha256: SHA_A }),
    copy({ ageMs: 3 * DAY, name: 'erp-latest.dump', sha256: SHA_B }),
    copy({ ageMs: 3 * DAY, name: 'erp-latest.dump', sha256: SHA_B }),
  ]);
  t.match(
    result,
    { status: 'fail', reason: 'corrupt', params: { corrupt: 1 } },
    'the fresh copy is outvoted and corrupt',
  );
});

t.test("integrity: yesterday's db.dump in a dated folder is another backup, not a corrupt sibling", async (t) => {
  const today = (device: string) => copy({ name: 'db.dump', bytes: 5_000, device });
  const yesterday = (device: string) =>
    copy({ name: 'db.dump', bytes: 4_900, sha256: SHA_B, ageMs: 20 * HOUR, device });
  const result = run(checkIntegrity, [
    today('d1'),
    today('d2'),
    today('d3'),
    yesterday('d1'),
    yesterday('d2'),
    yesterday('d3'),
  ]);
  t.match(result, { status: 'pass', reason: 'ok', params: { verified: 6 } });
});

t.test('integrity: a rolling latest.dump refreshed in one place before the others is not corrupt', async (t) => {
  const fresh = copy({ name: 'latest.dump', bytes: 7_000, sha256: SHA_C, ageMs: HOUR });
  const older = [
    copy({ name: 'latest.dump', bytes: 6_800, ageMs: 20 * HOUR }),
    copy({ name: 'latest.dump', bytes: 6_800, ageMs: 20 * HOUR }),
  ];
  t.match(run(checkIntegrity, [fresh, ...older]), { status: 'pass' });
});

t.test('integrity: a file that cannot be read is undecided even with a sidecar, never verified', async (t) => {
  const unreadable = copy({ sha256: undefined, hashError: 'unreadable', recorded: sidecar(SHA_A) });
  const result = run(checkIntegrity, [copy(), copy(), unreadable]);
  t.match(result, { status: 'unknown', reason: 'unreadable', params: { unreadable: 1 } });
  t.same([...(result.evidence.notCounted ?? [])], [{ copy: unreadable.id, note: 'unreadable' }]);
});

t.test('integrity: a copy deleted between listing and reading is no copy, and decides nothing', async (t) => {
  const gone = copy({ sha256: undefined, hashError: 'vanished', recorded: sidecar(SHA_A) });
  const data = input([copy(), gone]);
  const assessed = assessCopies(data.copies, data.policy, data.now).copies;
  t.same(assessed[1]?.assessment, { usable: false, notes: ['vanished'], ageMs: HOUR });
  t.match(checkIntegrity(data, assessed, takeCensus(assessed)), { status: 'pass', params: { verified: 1 } });
});

t.test('integrity: an old copy that nothing confirmed is not counted as verified', async (t) => {
  const old = copy({ ageMs: 3 * DAY, sha256: undefined, path: '/backup/old.dump' });
  const result = run(checkIntegrity, [...compliantCopies(), old]);
  t.match(result, { status: 'pass', reason: 'ok', params: { verified: 3 } }, 'history is no risk');
  t.notOk(
    [...(result.evidence.counted ?? [])].some((e) => e.copy === old.id),
    'the old unverified copy is not among the verified',
  );
  t.same(
    [...(result.evidence.notCounted ?? [])].filter((e) => e.copy === old.id),
    [{ copy: old.id, note: 'stale,unverified' }],
  );
});

t.test('integrity: content that changed while size and mtime did not fails, with both hashes', async (t) => {
  const changed = copy({
    sha256: SHA_B,
    hashedAt: '2026-11-24T11:00:00.000Z',
    contentChanged: {
      previousSha256: SHA_A,
      previousHashedAt: '2026-11-01T02:30:00.000Z',
      detectedAt: '2026-11-24T11:00:00.000Z',
    },
  });
  const result = run(checkIntegrity, [changed]);
  t.match(result, {
    status: 'fail',
    reason: 'content-changed',
    params: {
      changed: 1,
      copy: changed.id,
      previousSha256: SHA_A,
      previousHashedAt: '2026-11-01T02:30:00.000Z',
      sha256: SHA_B,
      detectedAt: '2026-11-24T11:00:00.000Z',
    },
  });
  t.same([...(result.evidence.notCounted ?? [])], [{ copy: changed.id, note: 'content-changed' }]);
  const [assessed] = assessCopies([changed], POLICY, input([changed]).now).copies;
  t.same(assessed?.assessment.notes, ['content-changed']);
  t.equal(assessed?.assessment.usable, false, 'a copy whose bytes changed behind the filesystem is no copy');
});

t.test('integrity: a copy that changed while it was read is unverified, whatever its sidecar records', async (t) => {
  const moving = copy({ sha256: undefined, hashError: 'changed-while-hashing', recorded: sidecar(SHA_A) });
  const result = run(checkIntegrity, [moving]);
  t.match(result, { status: 'warn', reason: 'unverified' });
  t.same([...(result.evidence.notCounted ?? [])], [{ copy: moving.id, note: 'changed-while-hashing' }]);
});
