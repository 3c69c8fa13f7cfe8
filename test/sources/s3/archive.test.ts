// Storage class → restore latency, as a table: AWS's documented ranges, upper bound used.
import t from 'tap';
import { EXPEDITED_MAX_BYTES, parseRestoreHeader, restorePathFor } from '../../../src/sources/s3/archive.js';

const now = new Date('2026-11-24T12:00:00Z');
const H = 3_600_000;

t.test('restore latency per class and tier', async (t) => {
  const table = [
    ['STANDARD', 'standard', 1, 0],
    ['STANDARD_IA', 'bulk', 1, 0],
    ['ONEZONE_IA', 'standard', 1, 0],
    ['GLACIER_IR', 'standard', 1, 0],
    ['INTELLIGENT_TIERING', 'standard', 1, 0],
    ['GLACIER', 'expedited', 1, 5 * 60_000],
    ['GLACIER', 'expedited', EXPEDITED_MAX_BYTES, 5 * H],
    ['GLACIER', 'standard', 1, 5 * H],
    ['GLACIER', 'bulk', 1, 12 * H],
    ['DEEP_ARCHIVE', 'expedited', 1, 12 * H],
    ['DEEP_ARCHIVE', 'standard', 1, 12 * H],
    ['DEEP_ARCHIVE', 'bulk', 1, 48 * H],
    ['ARCHIVE_ACCESS', 'bulk', 1, 12 * H],
    ['DEEP_ARCHIVE_ACCESS', 'bulk', 1, 48 * H],
  ] as const;
  for (const [storageClass, tier, bytes, ms] of table) {
    t.equal(restorePathFor({ storageClass, tier, bytes, now }).retrievalMs, ms, `${storageClass} ${tier} ${bytes} B`);
  }
});

t.test('readable classes take the configured retrieval time; unknown classes say so', async (t) => {
  t.equal(
    restorePathFor({
      storageClass: 'STANDARD',
      tier: 'standard',
      bytes: 1,
      now,
      configuredRetrievalMs: 7,
    }).retrievalMs,
    7,
  );
  t.match(restorePathFor({ storageClass: 'FANCY', tier: 'standard', bytes: 1, now }).retrievalNote, /not known/);
  t.same(
    restorePathFor({ storageClass: 'GLACIER', tier: 'bulk', bytes: 1, now }).retrievalNote,
    'S3 GLACIER bulk tier: 5–12 h',
  );
});

t.test('the Restore header', async (t) => {
  t.same(parseRestoreHeader('ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"'), {
    restoredUntil: '2012-12-21T00:00:00.000Z',
  });
  t.same(parseRestoreHeader('ongoing-request="true"'), { ongoing: true });
  t.equal(parseRestoreHeader('ongoing-request="false", expiry-date="garbage"'), undefined);
  t.equal(parseRestoreHeader(undefined), undefined);
  t.equal(parseRestoreHeader('nonsense'), undefined);
});
