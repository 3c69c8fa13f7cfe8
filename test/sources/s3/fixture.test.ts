// The s3 source against AWS-documented answers no local S3 server implements; XML as documented by AWS.
// (Object Lock, FULL_OBJECT/COMPOSITE ChecksumSHA256, GLACIER/DEEP_ARCHIVE with Restore, versioning status,
// 503 SlowDown, a policy without s3:ListBucket.) The real SDK talks to test/fixtures/s3-fixture-server.ts
// over HTTP, exactly as it would to AWS.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { createS3Source } from '../../../src/sources/s3/source.js';
import { type FixtureBucket, type FixtureOptions, startFixtureServer } from '../../fixtures/s3-fixture-server.js';
import { credentialsFileText, s3Context, s3Location } from '../../helpers/s3-context.js';

const body = 'locked dump\n';
const digest = createHash('sha256').update(body).digest();
const HOUR = 3_600_000;

let credentialsFile: string;
t.before(() => {
  credentialsFile = join(t.testdir(), 'credentials');
  writeFileSync(credentialsFile, credentialsFileText('AKIAFIXTURE', 'fixture-secret'));
});

async function run(t: Test, options: FixtureOptions, datasets: Record<string, string[]>, extra = {}, deep = false) {
  const server = await startFixtureServer(options);
  t.teardown(() => server.close());
  const bucket = Object.keys(options.buckets)[0] as string;
  const location = s3Location({
    bucket,
    endpoint: server.endpoint,
    credentialsFile,
    ...extra,
  });
  const result = await createS3Source(location).inventory(s3Context(datasets, { deep }));
  return {
    result,
    server,
    byName: new Map(result.copies.map((c) => [c.name, c])),
  };
}

const locked: FixtureBucket = {
  region: 'ap-southeast-1',
  versioning: 'Enabled',
  objectLock: { mode: 'COMPLIANCE', days: 30 },
  objects: [
    {
      key: 'db/a.dump',
      body,
      checksumSha256: digest.toString('base64'),
      checksumType: 'FULL_OBJECT',
      retention: {
        mode: 'COMPLIANCE',
        retainUntil: '2027-01-01T00:00:00.000Z',
      },
      legalHold: 'ON',
    },
    {
      key: 'db/b.dump',
      body,
      checksumSha256: `${digest.toString('base64')}-3`,
      checksumType: 'COMPOSITE',
      retention: {
        mode: 'GOVERNANCE',
        retainUntil: '2026-12-01T00:00:00.000Z',
      },
    },
    { key: 'db/c.dump', body },
  ],
};

t.test('bucket facts: region, versioning and Object Lock default retention are read and asserted', async (t) => {
  const { result } = await run(t, { buckets: { locked } }, { db: ['db/'] });
  t.equal(result.status.status, 'ok', JSON.stringify(result.status.issues));
  t.match(result.status.facts, {
    region: 'ap-southeast-1',
    versioning: 'Enabled',
    objectLock: 'Enabled',
    objectLockDefaultMode: 'COMPLIANCE',
    objectLockDefaultRetention: '30d',
  });
});

t.test('a FULL_OBJECT ChecksumSHA256 is recorded as the content sha256; a COMPOSITE one is not', async (t) => {
  const { byName, server } = await run(t, { buckets: { locked } }, { db: ['db/'] });
  t.same(byName.get('a.dump')?.recorded, {
    value: digest.toString('hex'),
    source: 's3-checksum',
    ref: 's3://locked/db/a.dump (ChecksumSHA256)',
  });
  t.equal(byName.get('b.dump')?.recorded, undefined, 'a checksum of part checksums is not a content hash');
  const heads = server.requests.filter((r) => r.method === 'HEAD');
  t.same(
    heads.map((r) => r.url).sort(),
    ['/locked/db/a.dump'],
    'HEAD only where the listing shows a full-object SHA256',
  );
  t.ok(
    heads.every((r) => r.checksumMode === 'ENABLED'),
    'HeadObject asks for checksums',
  );
});

t.test(
  'Object Lock retention and legal hold become copy.immutable; an object without retention is not immutable',
  async (t) => {
    const { byName } = await run(t, { buckets: { locked } }, { db: ['db/'] });
    t.same(byName.get('a.dump')?.immutable, {
      mode: 'COMPLIANCE',
      retainUntil: '2027-01-01T00:00:00.000Z',
      legalHold: true,
    });
    t.same(byName.get('b.dump')?.immutable, {
      mode: 'GOVERNANCE',
      retainUntil: '2026-12-01T00:00:00.000Z',
      legalHold: false,
    });
    t.equal(byName.get('c.dump')?.immutable, undefined);
  },
);

t.test(
  'a bucket without Object Lock answers 404 and is "not-enabled"; Suspended versioning is reported as such',
  async (t) => {
    const { result, server } = await run(
      t,
      {
        buckets: {
          plain: {
            versioning: 'Suspended',
            objects: [{ key: 'x.dump', body }],
          },
        },
      },
      { x: ['x.dump'] },
    );
    t.match(result.status.facts, {
      versioning: 'Suspended',
      objectLock: 'not-enabled',
      region: 'not-reported',
    });
    t.equal(result.status.status, 'ok');
    t.notOk(
      server.requests.some((r) => r.url.includes('retention')),
      'no per-object lock calls without Object Lock',
    );
  },
);

const archive = (extra: Partial<FixtureBucket> = {}): FixtureBucket => ({
  objects: [
    { key: 'g/standard.dump', body },
    { key: 'g/int.dump', body, storageClass: 'INTELLIGENT_TIERING' },
    { key: 'g/glacier-big.dump', size: 1_000_000_000, storageClass: 'GLACIER' },
    { key: 'g/glacier-small.dump', size: 1_000_000, storageClass: 'GLACIER' },
    { key: 'g/deep.dump', size: 1_000_000, storageClass: 'DEEP_ARCHIVE' },
    {
      key: 'g/restored.dump',
      body,
      storageClass: 'GLACIER',
      restore: 'ongoing-request="false", expiry-date="Tue, 01 Dec 2026 00:00:00 GMT"',
    },
    {
      key: 'g/expired.dump',
      body,
      storageClass: 'DEEP_ARCHIVE',
      restore: 'ongoing-request="false", expiry-date="Sun, 01 Nov 2026 00:00:00 GMT"',
    },
    {
      key: 'g/restoring.dump',
      body,
      storageClass: 'GLACIER',
      restore: 'ongoing-request="true"',
    },
    {
      key: 'g/int-archived.dump',
      body,
      storageClass: 'INTELLIGENT_TIERING',
      archiveStatus: 'DEEP_ARCHIVE_ACCESS',
    },
  ],
  ...extra,
});

t.test('storage class → restore latency (standard tier), restored objects readable until expiry', async (t) => {
  for (const bucket of [archive(), archive({ ignoreOptionalAttributes: true })]) {
    const { byName } = await run(t, { buckets: { archive: bucket } }, { g: ['g/'] }, { throughputBytesPerSec: 100e6 });
    const ms = (name: string) => byName.get(name)?.restore?.retrievalMs;
    t.equal(ms('standard.dump'), 0);
    t.equal(ms('int.dump'), 0);
    t.equal(ms('glacier-big.dump'), 5 * HOUR);
    t.equal(ms('deep.dump'), 12 * HOUR);
    t.equal(ms('restored.dump'), 0, 'restored copy readable now');
    t.match(byName.get('restored.dump')?.restore?.retrievalNote, /readable until 2026-12-01/);
    t.equal(ms('expired.dump'), 12 * HOUR, 'a restore past its expiry no longer counts');
    t.equal(ms('restoring.dump'), 5 * HOUR);
    t.match(byName.get('restoring.dump')?.restore?.retrievalNote, /in progress/);
    t.equal(byName.get('deep.dump')?.storageClass, 'DEEP_ARCHIVE');
    t.same(byName.get('deep.dump')?.restore, {
      retrievalMs: 12 * HOUR,
      retrievalNote: 'S3 DEEP_ARCHIVE standard tier: within 12 h',
      throughputBytesPerSec: 100e6,
      throughputSource: 'configured',
    });
  }
  // The archive tier of Intelligent-Tiering is visible only through HeadObject.
  const { byName } = await run(
    t,
    { buckets: { archive: archive({ ignoreOptionalAttributes: true }) } },
    { g: ['g/int-archived.dump'] },
  );
  t.equal(byName.get('int-archived.dump')?.restore?.retrievalMs, 0, 'not HEADed: listing cannot show the access tier');
});

t.test('expedited tier: GLACIER under 250 MB only; DEEP_ARCHIVE has none (standard used, and said)', async (t) => {
  const { byName } = await run(t, { buckets: { archive: archive() } }, { g: ['g/'] }, { retrievalTier: 'expedited' });
  t.equal(byName.get('glacier-small.dump')?.restore?.retrievalMs, 5 * 60_000);
  t.equal(byName.get('glacier-big.dump')?.restore?.retrievalMs, 5 * HOUR);
  t.match(byName.get('glacier-big.dump')?.restore?.retrievalNote, /under 250 MB/);
  t.equal(byName.get('deep.dump')?.restore?.retrievalMs, 12 * HOUR);
  t.match(byName.get('deep.dump')?.restore?.retrievalNote, /no expedited tier/);
});

t.test('--deep never downloads archived objects that are not restored', async (t) => {
  const { result, server } = await run(t, { buckets: { archive: archive() } }, { g: ['g/'] }, {}, true);
  t.equal(result.status.facts.deepSkippedArchived, 4, 'GLACIER, DEEP_ARCHIVE, expired and in-progress restores');
  t.equal(result.status.facts.deepSkippedOverMaxBytes, 1);
  const gets = server.requests.filter((r) => r.method === 'GET' && r.url.includes('x-id=GetObject'));
  t.same(gets.map((r) => r.url.replace(/\?.*/, '')).sort(), [
    '/archive/g/int-archived.dump',
    '/archive/g/int.dump',
    '/archive/g/restored.dump',
    '/archive/g/standard.dump',
  ]);
  const byName = new Map(result.copies.map((c) => [c.name, c]));
  t.equal(byName.get('restored.dump')?.sha256, digest.toString('hex'));
  t.equal(byName.get('int-archived.dump')?.hashError, 'archived-not-restored', 'GET refused: InvalidObjectState');
});

t.test('503 SlowDown is retried with backoff and the run succeeds', async (t) => {
  const { result, server } = await run(t, { buckets: { locked }, throttleFirst: 2 }, { db: ['db/'] });
  t.equal(result.status.status, 'ok');
  t.equal(result.copies.length, 3);
  t.equal(server.requests[0]?.url, server.requests[2]?.url, 'the first request was sent three times');
});

const noList: FixtureBucket = {
  denyList: ['erp/'],
  objects: [
    { key: 'erp/full.dump', body },
    { key: 'mail/m.tar', body },
  ],
};

t.test(
  'without ListBucket: an existing key is read directly, a missing one is "access denied", not "missing"',
  async (t) => {
    const { result, byName } = await run(
      t,
      { buckets: { nolist: noList } },
      {
        erp: ['erp/full.dump'],
        gone: ['erp/missing.dump'],
        globbed: ['erp/*.dump'],
        mail: ['mail/'],
      },
    );
    t.equal(result.status.status, 'unreadable');
    t.ok(byName.get('full.dump'), 'HEAD found the object');
    t.ok(byName.get('m.tar'), 'the other prefix still lists');
    t.match(result.status.issues, [
      { severity: 'warning', code: 'B321_S3_NO_LIST', dataset: 'erp' },
      {
        severity: 'error',
        code: 'B321_S3_ACCESS_DENIED',
        dataset: 'gone',
        message: /unreadable or missing/,
      },
      { severity: 'error', code: 'B321_S3_ACCESS_DENIED', dataset: 'globbed' },
    ]);
    t.notOk(
      result.status.issues.some((i) => i.dataset === 'mail'),
      'only the denied datasets are affected',
    );
  },
);

t.test('a store that answers 404 without ListBucket: the object is reported missing, a decided absence', async (t) => {
  const { result } = await run(
    t,
    { buckets: { nolist: { ...noList, revealMissing: true } } },
    { gone: ['erp/missing.dump'] },
  );
  t.not(result.status.status, 'unreadable', 'a 404 is an answer: the copies check can fail, not stay unknown');
  t.match(result.status.issues, [
    {
      severity: 'warning',
      code: 'B321_S3_MISSING',
      dataset: 'gone',
      message: /does not exist/,
    },
  ]);
});

t.test('--deep: a download that stalls mid-body ends within requestTimeout as a hash error, not a hang', async (t) => {
  const { result } = await run(
    t,
    { buckets: { locked }, stallBodies: true },
    { db: ['db/c.dump'] },
    { requestTimeoutMs: 300 },
    true,
  );
  t.equal(result.copies[0]?.hashError, 'unreadable');
  t.equal(result.copies[0]?.sha256, undefined);
});

t.test('an aborted run reports the location unreadable instead of throwing', async (t) => {
  const server = await startFixtureServer({ buckets: { locked } });
  t.teardown(() => server.close());
  const controller = new AbortController();
  const location = s3Location({ bucket: 'locked', endpoint: server.endpoint, credentialsFile });
  const ctx = s3Context(
    { db: ['db/'] },
    { signal: controller.signal, progress: (e) => e.phase === 'list' && controller.abort() },
  );
  const result = await createS3Source(location).inventory(ctx);
  t.equal(result.status.status, 'unreadable');
  t.same(result.copies, []);
});
