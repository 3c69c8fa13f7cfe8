// The s3 source against a real s3rver over HTTP: listing, selection, sidecars, deep hashing, errors, read-only.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { createS3Source } from '../../../src/sources/s3/source.js';
import { credentialsFileText, s3Context, s3Location } from '../../helpers/s3-context.js';
import {
  createBucketWith,
  type RunningS3rver,
  startCountingProxy,
  startS3rver,
  testClient,
} from '../../helpers/s3rver.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
const dump1 = 'erp dump of the first of November\n';
const dump2 = 'erp dump of the second of November\n';
const mail = 'mail archive\n';

let server: RunningS3rver;
let credentialsFile: string;
let wrongCredentialsFile: string;

t.before(async () => {
  const dir = t.testdir({ data: {} });
  credentialsFile = join(dir, 'credentials');
  wrongCredentialsFile = join(dir, 'wrong-credentials');
  writeFileSync(credentialsFile, credentialsFileText('S3RVER', 'S3RVER'));
  writeFileSync(wrongCredentialsFile, credentialsFileText('NOT-S3RVER', 'wrong-secret'));
  server = await startS3rver(join(dir, 'data'));
  const client = testClient(server.endpoint);
  await createBucketWith(client, 'backups', [
    { key: 'erp/2026-11-01.dump', body: dump1 },
    { key: 'erp/2026-11-02.dump', body: dump2 },
    {
      key: 'erp/2026-11-02.dump.sha256',
      body: `${sha256(dump2)}  2026-11-02.dump\n`,
    },
    { key: 'erp/notes.txt', body: 'not a dump' },
    { key: 'erp/sub/old.dump', body: 'older dump' },
    { key: 'mail/mail-1.tar', body: mail },
    // A sidecar that does not match the content: only --deep can tell.
    {
      key: 'mail/mail-1.tar.sha256',
      body: `${sha256('something else')}  mail-1.tar\n`,
    },
    { key: 'web/site.tar', body: 'site' },
    { key: 'web/SHA256SUMS', body: `${sha256('site')}  site.tar\n` },
  ]);
  // 1,100 objects: more than one ListObjectsV2 page (1,000), spread over three first-level prefixes.
  await createBucketWith(
    client,
    'big',
    Array.from({ length: 1100 }, (_, i) => ({
      key: `many/d${i % 3}/obj-${String(i).padStart(4, '0')}`,
      body: `${i}`,
    })),
  );
  // Checksum files that say nothing usable, or only partly.
  await createBucketWith(client, 'sidecars', [
    { key: 'erp/garbage.dump', body: dump1 },
    { key: 'erp/garbage.dump.sha256', body: 'hello world\n' },
    { key: 'erp/other.dump', body: dump1 },
    { key: 'erp/other.dump.sha256', body: `${sha256(dump1)}  someone-else.dump\n` },
    { key: 'erp/partly.dump', body: dump2 },
    { key: 'erp/partly.dump.sha256', body: `hello\n${sha256(dump2)}  partly.dump\n` },
    // Over the 1 MiB a checksum file may hold: never read whole, and no evidence.
    { key: 'erp/huge.dump', body: dump1 },
    { key: 'erp/huge.dump.sha256', body: Buffer.alloc(1024 * 1024 + 1, 'a') },
    { key: 'web/site.tar', body: 'site' },
    { key: 'web/page.tar', body: 'page' },
    { key: 'web/SHA256SUMS', body: `${sha256('site')}  site.tar\nnot a checksum line\n${sha256('page')}  page.tar\n` },
  ]);
  client.destroy();
});
t.teardown(() => server.stop());

const location = (overrides: Partial<Parameters<typeof s3Location>[0]> = {}) =>
  s3Location({
    bucket: 'backups',
    endpoint: server.endpoint,
    credentialsFile,
    ...overrides,
  });

t.test(
  'every object under a prefix is an object-storage copy on the endpoint device; sidecars are not copies',
  async (t) => {
    const result = await createS3Source(location()).inventory(s3Context({ erp: ['erp/'] }));
    t.equal(result.status.status, 'ok', JSON.stringify(result.status.issues));
    t.same(
      result.copies.map((c) => c.path),
      [
        's3://backups/erp/2026-11-01.dump',
        's3://backups/erp/2026-11-02.dump',
        's3://backups/erp/notes.txt',
        's3://backups/erp/sub/old.dump',
      ],
    );
    const copy = result.copies[0];
    t.match(copy, {
      id: 'cloud:s3://backups/erp/2026-11-01.dump',
      dataset: 'erp',
      kind: 'object',
      name: '2026-11-01.dump',
      bytes: Buffer.byteLength(dump1),
      medium: 'object-storage',
      device: `s3:127.0.0.1:${server.port}`,
      storageClass: 'STANDARD',
      offline: false,
      restore: { retrievalMs: 0 },
    });
    t.ok(Number.isFinite(Date.parse(copy?.modifiedAt ?? '')), 'modifiedAt is LastModified');
    t.equal(copy?.recorded, undefined, 'no sidecar, no checksum: unverified');
    t.equal(result.status.facts.region, 'not-reported', 's3rver answers an empty LocationConstraint');
    t.equal(
      result.status.facts.versioning,
      'not-reported',
      's3rver answers ?versioning with a wrong body: not "Enabled"',
    );
    t.equal(result.status.facts.objectLock, 'not-supported', 's3rver answers ?object-lock with 501 NotImplemented');
  },
);

t.test('a glob selects keys relative to the location prefix, listing only from its static base', async (t) => {
  const rooted = await createS3Source(location()).inventory(s3Context({ erp: ['erp/*.dump'] }));
  t.same(
    rooted.copies.map((c) => c.name),
    ['2026-11-01.dump', '2026-11-02.dump'],
  );
  const underPrefix = await createS3Source(location({ prefix: 'erp/' })).inventory(s3Context({ erp: ['**/*.dump'] }));
  t.same(
    underPrefix.copies.map((c) => c.name),
    ['2026-11-01.dump', '2026-11-02.dump', 'old.dump'],
  );
});

t.test('a sidecar object is recorded evidence; a manifest too', async (t) => {
  const result = await createS3Source(location()).inventory(s3Context({ erp: ['erp/*.dump'], web: ['web/'] }));
  const byName = new Map(result.copies.map((c) => [c.name, c]));
  t.same(byName.get('2026-11-02.dump')?.recorded, {
    value: sha256(dump2),
    source: 'sidecar',
    ref: 's3://backups/erp/2026-11-02.dump.sha256',
  });
  t.same(byName.get('site.tar')?.recorded, {
    value: sha256('site'),
    source: 'manifest',
    ref: 's3://backups/web/SHA256SUMS',
  });
  t.equal(byName.get('2026-11-01.dump')?.sha256, undefined, 'no download without --deep');
});

t.test('a garbage sidecar is a warning once, naming it, and never the recorded checksum', async (t) => {
  const result = await createS3Source(location({ bucket: 'sidecars' })).inventory(
    // Two datasets select garbage.dump: one object, one sidecar, one warning.
    s3Context({ erp: ['erp/'], web: ['web/'], latest: ['erp/garbage.dump'] }),
  );
  const checksumIssues = result.status.issues
    .filter((i) => i.code === 'B321_BAD_SIDECAR' || i.code === 'B321_BAD_MANIFEST')
    .sort((a, b) => (a.path ?? '').localeCompare(b.path ?? ''));
  t.match(checksumIssues, [
    { severity: 'warning', code: 'B321_BAD_SIDECAR', path: 's3://sidecars/erp/garbage.dump.sha256', line: 1 },
    {
      severity: 'warning',
      code: 'B321_BAD_SIDECAR',
      path: 's3://sidecars/erp/huge.dump.sha256',
      message: /larger than/,
    },
    {
      severity: 'warning',
      code: 'B321_BAD_SIDECAR',
      path: 's3://sidecars/erp/other.dump.sha256',
      message: /names another file/,
    },
    { severity: 'warning', code: 'B321_BAD_SIDECAR', path: 's3://sidecars/erp/partly.dump.sha256', line: 1 },
    { severity: 'warning', code: 'B321_BAD_MANIFEST', path: 's3://sidecars/web/SHA256SUMS', line: 2 },
  ]);
  t.equal(checksumIssues.length, 5, 'once per checksum file, however many objects or datasets it covers');
  t.match(checksumIssues[0]?.message, /s3:\/\/sidecars\/erp\/garbage\.dump\.sha256 holds no sha256 for garbage\.dump/);
  t.equal(result.status.status, 'degraded');
  const recorded = (dataset: string, name: string) =>
    result.copies.find((c) => c.dataset === dataset && c.name === name)?.recorded;
  t.equal(recorded('erp', 'garbage.dump'), undefined, '"hello world" is no checksum');
  t.equal(recorded('latest', 'garbage.dump'), undefined);
  t.equal(recorded('erp', 'other.dump'), undefined, "another file's checksum is not this one's");
  t.equal(recorded('erp', 'huge.dump'), undefined);
  t.notOk(
    result.status.issues.some((i) => i.code === 'B321_S3_UNREACHABLE'),
    'a big sidecar is no evidence, not an unreachable store',
  );
  t.match(recorded('erp', 'partly.dump'), { value: sha256(dump2), source: 'sidecar' }, 'its valid line still counts');
  t.match(recorded('web', 'page.tar'), { value: sha256('page'), source: 'manifest' });
});

t.test('a wrong sidecar: with --deep the copy sha256 differs from the recorded one', async (t) => {
  const result = await createS3Source(location()).inventory(s3Context({ mail: ['mail/'] }, { deep: true }));
  const copy = result.copies[0];
  t.equal(copy?.sha256, sha256(mail), 'downloaded and hashed');
  t.equal(copy?.recorded?.value, sha256('something else'));
  t.not(copy?.sha256, copy?.recorded?.value);
  t.equal(result.status.facts.deepSkippedOverMaxBytes, 0);
});

t.test('--deep skips objects over deepMaxBytes and says how many', async (t) => {
  const result = await createS3Source(location({ deepMaxBytes: 20 })).inventory(
    s3Context({ erp: ['erp/*.dump'] }, { deep: true }),
  );
  t.equal(result.status.facts.deepSkippedOverMaxBytes, 2);
  t.ok(result.copies.every((c) => c.sha256 === undefined && c.hashError === undefined));
});

t.test('with trustEtagMd5 a single-part ETag is recorded as the md5', async (t) => {
  const result = await createS3Source(location({ trustEtagMd5: true })).inventory(
    s3Context({ erp: ['erp/2026-11-01.dump'] }),
  );
  t.same(result.copies[0]?.recorded, {
    value: md5(dump1),
    source: 'etag-md5',
    ref: 's3://backups/erp/2026-11-01.dump (ETag)',
  });
});

t.test('a pattern that matches nothing is a dataset warning, not an error', async (t) => {
  const result = await createS3Source(location()).inventory(s3Context({ erp: ['erp/'], gone: ['gone/'] }));
  t.equal(result.status.status, 'degraded');
  t.match(result.status.issues, [{ severity: 'warning', code: 'B321_NO_MATCH', dataset: 'gone' }]);
});

t.test('pagination: 1,100 objects are listed across pages, sequentially and fanned out by prefix', async (t) => {
  for (const listConcurrency of [1, 3]) {
    const events: number[] = [];
    const result = await createS3Source(location({ bucket: 'big', listConcurrency })).inventory(
      s3Context({ many: ['many/'] }, { progress: (e) => e.phase === 'list' && events.push(e.done) }),
    );
    t.equal(result.status.status, 'ok');
    t.equal(result.copies.length, 1100, `listConcurrency ${listConcurrency}`);
    t.equal(new Set(result.copies.map((c) => c.path)).size, 1100, 'no object twice');
    t.equal(events.at(-1), 1100, 'progress reaches the object count');
  }
});

t.test('a missing bucket makes the location unreadable (404 NoSuchBucket)', async (t) => {
  const result = await createS3Source(location({ bucket: 'no-such-bucket' })).inventory(s3Context({ erp: ['erp/'] }));
  t.equal(result.status.status, 'unreadable');
  t.match(result.status.issues, [{ severity: 'error', code: 'B321_S3_NO_BUCKET' }]);
  t.same(result.copies, []);
});

t.test('wrong credentials make the location unreadable (403)', async (t) => {
  const result = await createS3Source(location({ credentialsFile: wrongCredentialsFile })).inventory(
    s3Context({ erp: ['erp/'] }),
  );
  t.equal(result.status.status, 'unreadable');
  t.match(result.status.issues, [{ severity: 'error', code: 'B321_S3_ACCESS_DENIED' }]);
  t.notMatch(JSON.stringify(result.status), /wrong-secret/, 'the secret never appears in the status');
});

t.test('read-only: a deep run sends only GET and HEAD requests to the server', async (t) => {
  const proxy = await startCountingProxy(server.port);
  t.teardown(() => proxy.close());
  const result = await createS3Source(location({ endpoint: proxy.endpoint, listConcurrency: 2 })).inventory(
    s3Context({ erp: ['erp/'], mail: ['mail/*.tar'], web: ['web/'] }, { deep: true }),
  );
  t.equal(result.copies.length, 6);
  t.ok((proxy.methods.get('GET') ?? 0) > 6, 'the run did read');
  t.same(
    [...proxy.methods.keys()].filter((m) => m !== 'GET' && m !== 'HEAD'),
    [],
    'no PUT, POST or DELETE',
  );
});

t.test('credentials: a named profile from the standard chain, and a named profile in a credentials file', async (t) => {
  const dir = t.testdir({
    shared: `${credentialsFileText('NOPE', 'nope')}${credentialsFileText('S3RVER', 'S3RVER', 'backup')}`,
    config: '',
  });
  const names = [
    'AWS_SHARED_CREDENTIALS_FILE',
    'AWS_CONFIG_FILE',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
  ] as const;
  const saved = names.map((name) => [name, process.env[name]] as const);
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'shared');
  process.env.AWS_CONFIG_FILE = join(dir, 'config');
  // Wrong keys in the environment: an explicit profile wins over them, as in the AWS CLI.
  process.env.AWS_ACCESS_KEY_ID = 'ENVKEY';
  process.env.AWS_SECRET_ACCESS_KEY = 'env-secret';
  const warnings: unknown[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args);
  t.teardown(() => {
    console.warn = warn;
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  const viaChain = await createS3Source(
    s3Location({
      bucket: 'backups',
      endpoint: server.endpoint,
      profile: 'backup',
    }),
  ).inventory(s3Context({ erp: ['erp/*.dump'] }));
  t.equal(viaChain.copies.length, 2, 'profile "backup" from the shared credentials file');
  t.same(warnings, [], 'the SDK printed nothing about the two credential sources');
  const viaFile = await createS3Source(location({ credentialsFile: join(dir, 'shared'), profile: 'backup' })).inventory(
    s3Context({ erp: ['erp/*.dump'] }),
  );
  t.equal(viaFile.copies.length, 2, 'profile "backup" from credentialsFile');
  const wrongProfile = await createS3Source(location({ credentialsFile: join(dir, 'shared') })).inventory(
    s3Context({ erp: ['erp/*.dump'] }),
  );
  t.match(wrongProfile.status.issues, [{ code: 'B321_S3_ACCESS_DENIED' }], 'the default profile holds wrong keys');
});
