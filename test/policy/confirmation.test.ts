// Integrity has an age: a copy passes only when its content was read back (by us, or by an operator
// verifying offline media) within its limit, or checked by its store; a checksum that is only recorded
// proves what the bytes should be, not that they are still there.
import t from 'tap';
import type { Copy } from '../../src/model.js';
import { assessCopies } from '../../src/policy/assess.js';
import { takeCensus as census } from '../../src/policy/census.js';
import { confirmationOf } from '../../src/policy/confirmation.js';
import { checkIntegrity } from '../../src/policy/integrity.js';
import type { DatasetInput } from '../../src/policy/types.js';
import { DAY, NOW, POLICY, SHA_A, copy, input, tapeCopy } from '../helpers/copies.js';

const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

function integrity(copies: Copy[], overrides: Partial<DatasetInput> = {}) {
  const data = input(copies, overrides);
  const assessed = assessCopies(copies, data.policy, data.now).copies;
  const result = checkIntegrity(data, assessed, census(assessed));
  return {
    ...result,
    notCounted: [...(result.evidence.notCounted ?? [])],
    counted: [...(result.evidence.counted ?? [])],
  };
}

const sidecarOnly = (over: Partial<Copy> & { ageMs?: number } = {}) =>
  copy({
    sha256: undefined,
    hashedAt: undefined,
    recorded: { value: SHA_A, source: 'sidecar', ref: '/backup/erp-latest.dump.sha256' },
    ...over,
  });

t.test('how a copy was last confirmed: read, store or declared', async (t) => {
  t.same(confirmationOf(copy({ hashedAt: ago(DAY) })), { kind: 'read', by: 'hashed', at: ago(DAY) });
  t.same(confirmationOf(tapeCopy({ verifiedAt: ago(DAY) })), { kind: 'read', by: 'media-verified', at: ago(DAY) });
  t.same(confirmationOf(tapeCopy({ verifiedAt: undefined })), { kind: 'declared', by: 'media-log' });
  t.same(confirmationOf(sidecarOnly()), { kind: 'declared', by: 'sidecar' });
  t.same(
    confirmationOf(
      copy({ sha256: undefined, hashedAt: undefined, recorded: { value: SHA_A, source: 's3-checksum', ref: 's3' } }),
    ),
    { kind: 'store', by: 's3-checksum' },
  );
  const md5 = { value: 'd41d8cd98f00b204e9800998ecf8427e', source: 'etag-md5' as const, ref: 's3' };
  t.same(
    confirmationOf(copy({ hashedAt: undefined, recorded: md5 })),
    { kind: 'store', by: 'etag-md5' },
    'an ETag equal to the MD5 of a copy we read',
  );
  t.same(confirmationOf(copy({ sha256: undefined, hashedAt: undefined, recorded: md5 })), {
    kind: 'declared',
    by: 'etag-md5',
  });
});

t.test('copies read back within verifyMaxAge (35 days) pass', async (t) => {
  const result = integrity([copy({ hashedAt: ago(34 * DAY) }), copy({ hashedAt: ago(DAY) })]);
  t.match(result, { status: 'pass', reason: 'ok', params: { verified: 2 } });
});

t.test('a copy last read longer ago than verifyMaxAge warns, with the date of that read', async (t) => {
  const old = copy({ hashedAt: ago(36 * DAY) });
  const result = integrity([copy(), old]);
  t.match(result, {
    status: 'warn',
    reason: 'not-read-recently',
    params: { notRead: 1, total: 2, neverRead: 0, verifyMaxAgeMs: 35 * DAY, oldestReadAt: ago(36 * DAY) },
  });
  t.same(result.notCounted, [{ copy: old.id, note: 'read-too-long-ago' }]);
  t.same(
    result.counted.map((item) => item.note),
    ['hashed'],
  );
});

t.test('a copy whose checksum is only declared (a sidecar, never read) warns', async (t) => {
  const declared = sidecarOnly();
  const result = integrity([copy(), declared]);
  t.match(result, { status: 'warn', reason: 'not-read-recently', params: { notRead: 1, neverRead: 1 } });
  t.notOk('oldestReadAt' in result.params, 'no read, no date');
  t.same(result.notCounted, [{ copy: declared.id, note: 'declared-only' }]);
});

t.test("a store's own full-object sha256 passes without a read", async (t) => {
  const s3 = copy({
    sha256: undefined,
    hashedAt: undefined,
    locationType: 's3',
    recorded: { value: SHA_A, source: 's3-checksum', ref: 's3://b/erp-latest.dump (ChecksumSHA256)' },
  });
  t.match(integrity([copy(), s3]), { status: 'pass', reason: 'ok' });
});

t.test(
  'offline media have their own limit (offlineVerifyMaxAge, 180 days): verified 100 days ago passes, 200 warns',
  async (t) => {
    t.match(integrity([copy(), tapeCopy({ verifiedAt: ago(100 * DAY) })]), { status: 'pass' });
    const old = tapeCopy({ verifiedAt: ago(200 * DAY) });
    const result = integrity([copy(), old]);
    t.match(result, { status: 'warn', reason: 'not-read-recently', params: { oldestReadAt: ago(200 * DAY) } });
    t.same(result.notCounted, [{ copy: old.id, note: 'read-too-long-ago' }]);
  },
);

t.test('a tape only written, never verified, is declared: it warns', async (t) => {
  const tape = tapeCopy({ verifiedAt: undefined });
  t.match(integrity([copy(), tape]), { status: 'warn', reason: 'not-read-recently', params: { neverRead: 1 } });
});

t.test("a read dated ahead of the run's clock (beyond the skew) proves nothing", async (t) => {
  const future = copy({ hashedAt: new Date(NOW.getTime() + 60 * 60_000).toISOString() });
  const result = integrity([copy(), future]);
  t.match(result, { status: 'warn', reason: 'not-read-recently' });
  t.same(result.notCounted, [{ copy: future.id, note: 'read-in-future' }]);
  t.match(integrity([copy({ hashedAt: new Date(NOW.getTime() + 60_000).toISOString() })]), { status: 'pass' });
});

t.test("a dataset's own, stricter verifyMaxAge applies to it", async (t) => {
  const copies = [copy({ hashedAt: ago(10 * DAY) })];
  t.match(integrity(copies), { status: 'pass' });
  t.match(integrity(copies, { policy: { ...POLICY, verifyMaxAgeMs: 7 * DAY } }), {
    status: 'warn',
    params: { verifyMaxAgeMs: 7 * DAY },
  });
});

t.test('an old copy (older than the RPO) is history: its unread checksum does not warn', async (t) => {
  const result = integrity([copy(), sidecarOnly({ ageMs: 3 * DAY, modifiedAt: ago(3 * DAY) })]);
  t.match(result, { status: 'pass', reason: 'ok' });
});

t.test('corruption still comes first: a corrupt copy fails whatever the age of the reads', async (t) => {
  const result = integrity([
    copy({ hashedAt: ago(90 * DAY) }),
    copy({ sha256: SHA_A, recorded: { value: 'f'.repeat(64), source: 'sidecar', ref: 'x' } }),
  ]);
  t.match(result, { status: 'fail', reason: 'corrupt' });
});
