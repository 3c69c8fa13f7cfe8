// --deep hashes an object only while it is the object the listing showed: If-Match, then ETag and size checks.
// The fixture server answers If-Match as AWS documents (412 PreconditionFailed); s3rver 3.7.1 ignores the
// header, so the real-server tests replace an object between its listing and its download (through a proxy)
// and the answer's ETag or length gives it away.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import t, { type Test } from 'tap';
import type { SourceResult } from '../../../src/model.js';
import { createS3Source } from '../../../src/sources/s3/source.js';
import { type FixtureObject, type FixtureOptions, startFixtureServer } from '../../fixtures/s3-fixture-server.js';
import { credentialsFileText, s3Context, s3Location } from '../../helpers/s3-context.js';
import { createBucketWith, startCountingProxy, startS3rver, testClient } from '../../helpers/s3rver.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
const listedDump = 'the dump that was listed\n';
const newDump = 'a newer dump written after the listing, longer\n';

let credentialsFile: string;
t.before(() => {
  credentialsFile = join(t.testdir(), 'credentials');
  writeFileSync(credentialsFile, credentialsFileText('S3RVER', 'S3RVER'));
});

async function deepRun(endpoint: string, bucket: string): Promise<SourceResult> {
  const location = s3Location({ bucket, endpoint, credentialsFile });
  return createS3Source(location).inventory(s3Context({ erp: ['erp/'] }, { deep: true }));
}

/** The one copy comes out changed: no sha256 under the listed identity, one warning naming the object. */
function assertChanged(t: Test, result: SourceResult, path: string, detail: RegExp): void {
  const copy = result.copies[0];
  t.equal(copy?.hashError, 'changed-while-hashing');
  t.equal(copy?.sha256, undefined, 'never hashed under the listed size and time');
  t.equal(copy?.hashedAt, undefined);
  const issues = result.status.issues.filter((i) => i.code === 'B321_CHANGED_WHILE_HASHING');
  t.equal(issues.length, 1, 'one source issue');
  t.match(issues[0], { severity: 'warning', path, message: detail });
  t.equal(result.status.status, 'degraded');
}

async function fixtureRun(t: Test, object: FixtureObject, options: Partial<FixtureOptions> = {}) {
  const server = await startFixtureServer({ buckets: { backups: { objects: [object] } }, ...options });
  t.teardown(() => server.close());
  const result = await deepRun(server.endpoint, 'backups');
  const gets = server.requests.filter((r) => r.method === 'GET' && r.url.includes('x-id=GetObject'));
  return { result, gets };
}

t.test('fixture: an unchanged object is hashed, asked for with If-Match and its listed ETag', async (t) => {
  const etag = md5(listedDump);
  const { result, gets } = await fixtureRun(t, { key: 'erp/x.dump', body: listedDump, etag });
  t.equal(result.copies[0]?.sha256, sha256(listedDump));
  t.same(
    gets.map((g) => g.ifMatch),
    [`"${etag}"`],
  );
  t.equal(result.status.status, 'ok', JSON.stringify(result.status.issues));
});

t.test('fixture: an object replaced after listing is refused by If-Match (412) and not hashed', async (t) => {
  const { result, gets } = await fixtureRun(t, {
    key: 'erp/x.dump',
    body: newDump,
    etag: md5(newDump),
    listed: { etag: md5(listedDump), size: Buffer.byteLength(listedDump) },
  });
  t.same(
    gets.map((g) => g.ifMatch),
    [`"${md5(listedDump)}"`],
  );
  assertChanged(t, result, 's3://backups/erp/x.dump', /If-Match/);
});

t.test('fixture: a store that ignores If-Match is caught by the ETag it answers with', async (t) => {
  const { result } = await fixtureRun(
    t,
    { key: 'erp/x.dump', body: newDump, etag: md5(newDump), listed: { etag: md5(listedDump) } },
    { ignoreIfMatch: true },
  );
  assertChanged(t, result, 's3://backups/erp/x.dump', new RegExp(`listed with ETag "${md5(listedDump)}"`));
});

t.test('fixture: a listing without ETags: the answer length is checked against the listed size', async (t) => {
  const { result, gets } = await fixtureRun(t, {
    key: 'erp/x.dump',
    body: newDump,
    listed: { etag: null, size: Buffer.byteLength(listedDump) },
  });
  t.equal(gets[0]?.ifMatch, undefined, 'no ETag listed: nothing to send');
  assertChanged(t, result, 's3://backups/erp/x.dump', /listed with 25 bytes, read with 47/);
});

t.test('fixture: without Content-Length, the bytes read are checked against the listed size', async (t) => {
  const { result } = await fixtureRun(t, {
    key: 'erp/x.dump',
    body: newDump,
    chunked: true,
    listed: { etag: null, size: Buffer.byteLength(listedDump) },
  });
  assertChanged(t, result, 's3://backups/erp/x.dump', /listed with 25 bytes, 47 read/);
});

t.test('s3rver 3.7.1 ignores If-Match (why the answer is checked too)', async (t) => {
  const server = await startS3rver(t.testdir());
  t.teardown(server.stop);
  const client = testClient(server.endpoint);
  t.teardown(() => client.destroy());
  await createBucketWith(client, 'backups', [{ key: 'erp/x.dump', body: listedDump }]);
  const answer = await client.send(new GetObjectCommand({ Bucket: 'backups', Key: 'erp/x.dump', IfMatch: '"0000"' }));
  t.equal(answer.$metadata.httpStatusCode, 200, 'a wrong If-Match still gets the object');
  t.equal(await answer.Body?.transformToString(), listedDump);
});

/** s3rver behind a proxy that overwrites the object just before its first download goes through. */
async function s3rverReplacingOnFirstGet(t: Test, replacement: string) {
  const server = await startS3rver(t.testdir());
  t.teardown(server.stop);
  const client = testClient(server.endpoint);
  t.teardown(() => client.destroy());
  await createBucketWith(client, 'backups', [{ key: 'erp/x.dump', body: listedDump }]);
  const listedEtag = (await client.send(new ListObjectsV2Command({ Bucket: 'backups' }))).Contents?.[0]?.ETag;
  const ifMatch: (string | undefined)[] = [];
  const proxy = await startCountingProxy(server.port, async (request) => {
    if (request.method !== 'GET' || !request.url?.includes('x-id=GetObject')) return;
    ifMatch.push(request.headers['if-match']);
    if (ifMatch.length > 1) return;
    await client.send(new PutObjectCommand({ Bucket: 'backups', Key: 'erp/x.dump', Body: replacement }));
  });
  t.teardown(proxy.close);
  return { endpoint: proxy.endpoint, listedEtag, ifMatch };
}

t.test('s3rver: an object overwritten with other bytes of the same size between listing and download', async (t) => {
  const sameSize = listedDump.replace('listed', 'LISTED');
  const { endpoint, listedEtag, ifMatch } = await s3rverReplacingOnFirstGet(t, sameSize);
  const result = await deepRun(endpoint, 'backups');
  t.same(ifMatch, [listedEtag], 'the download asked for the listed ETag');
  assertChanged(t, result, 's3://backups/erp/x.dump', new RegExp(`read with "${md5(sameSize)}"`));
  t.equal(result.copies[0]?.bytes, Buffer.byteLength(listedDump), 'the copy is the listed object, unhashed');
});

t.test('s3rver: an object overwritten with a longer one between listing and download', async (t) => {
  const { endpoint } = await s3rverReplacingOnFirstGet(t, newDump);
  assertChanged(t, await deepRun(endpoint, 'backups'), 's3://backups/erp/x.dump', /listed with ETag/);
});
