// Which S3 checksums and ETags are evidence of content: full-object SHA-256 yes, composite no, MD5 ETag only single-part.
import { createHash } from 'node:crypto';
import t from 'tap';
import { etagMd5, fullObjectSha256Hex, listingHasSha256 } from '../../../src/sources/s3/checksum.js';

const digest = createHash('sha256').update('x').digest();

t.test('a FULL_OBJECT base64 SHA-256 becomes hex; COMPOSITE or malformed ones do not', async (t) => {
  t.equal(fullObjectSha256Hex(digest.toString('base64'), 'FULL_OBJECT'), digest.toString('hex'));
  t.equal(fullObjectSha256Hex(digest.toString('base64'), undefined), digest.toString('hex'));
  t.equal(fullObjectSha256Hex(digest.toString('base64'), 'COMPOSITE'), undefined);
  t.equal(fullObjectSha256Hex(`${digest.toString('base64')}-4`, undefined), undefined);
  t.equal(fullObjectSha256Hex('AAAA', 'FULL_OBJECT'), undefined, 'not 32 bytes');
  t.equal(fullObjectSha256Hex(undefined, undefined), undefined);
});

t.test('ETag: only a plain 32-hex MD5', async (t) => {
  t.equal(etagMd5('"9DD4E461268C8034F5C8564E155C67A6"'), '9dd4e461268c8034f5c8564e155c67a6');
  t.equal(etagMd5('W/"9dd4e461268c8034f5c8564e155c67a6"'), '9dd4e461268c8034f5c8564e155c67a6');
  t.equal(etagMd5('"9dd4e461268c8034f5c8564e155c67a6-12"'), undefined, 'multipart');
  t.equal(etagMd5(undefined), undefined);
});

t.test('the listing decides whether a HEAD is worth it', async (t) => {
  const base = {
    key: 'k',
    bytes: 1,
    lastModified: '',
    storageClass: 'STANDARD',
  };
  t.equal(listingHasSha256({ ...base, checksumAlgorithms: ['SHA256'] }), true);
  t.equal(
    listingHasSha256({
      ...base,
      checksumAlgorithms: ['SHA256'],
      checksumType: 'COMPOSITE',
    }),
    false,
  );
  t.equal(listingHasSha256({ ...base, checksumAlgorithms: ['CRC64NVME'] }), false);
});
