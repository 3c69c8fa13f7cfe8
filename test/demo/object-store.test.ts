// The demo's S3 endpoint, asked by the real SDK over HTTP: a folder's files as a bucket's objects,
// listed page by page, with the ETag and the FULL_OBJECT SHA-256 of their bytes, and nothing written.
import { createHash } from 'node:crypto';
import { mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import t, { type Test } from 'tap';
import { startDemoObjectStore } from '../../src/demo/object-store.js';
import { createS3Client } from '../../src/sources/s3/client.js';
import { listPages } from '../../src/sources/s3/list.js';
import { readBucketFacts, readBucketRegion } from '../../src/sources/s3/lock.js';
import { createS3Source } from '../../src/sources/s3/source.js';
import { snapshotTree } from '../helpers/cli.js';
import { credentialsFileText, s3Context, s3Location } from '../helpers/s3-context.js';
import { testClient } from '../helpers/s3rver.js';

const BUCKET = 'offsite';

/** A served folder with `files` in bucket `offsite`, the store on it, and a real SDK client. */
async function storeWith(t: Test, files: Record<string, string | Buffer>) {
  const directory = t.testdir();
  for (const [key, content] of Object.entries(files)) {
    const path = join(directory, BUCKET, key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  const store = await startDemoObjectStore(directory);
  const client = testClient(store.endpoint, { accessKeyId: 'ANY', secretAccessKey: 'ANY' });
  t.teardown(async () => {
    client.destroy();
    await store.close();
  });
  return { store, client, directory };
}

async function failureOf(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded');
}

const sha256 = (content: string | Buffer, encoding: 'hex' | 'base64') =>
  createHash('sha256').update(content).digest(encoding);

t.test('ListObjectsV2 over 1,005 keys: two pages of the source, every key once, in key order', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 1005; i++) files[`erp/${String(i).padStart(4, '0')}.dump`] = String(i);
  const { store, directory } = await storeWith(t, files);
  const location = s3Location({ bucket: BUCKET, endpoint: store.endpoint, credentialsFile: keysFile(directory) });
  const product = createS3Client(location);
  t.teardown(() => product.destroy());
  const pages: number[] = [];
  const keys: string[] = [];
  for await (const page of listPages(product, BUCKET, 'erp/', undefined)) {
    pages.push(page.objects.length);
    keys.push(...page.objects.map((object) => object.key));
  }
  t.same(pages, [1000, 5], 'S3 pages at 1,000 keys');
  t.same(keys, Object.keys(files).sort());
});

t.test('max-keys and a delimiter: keys and common prefixes share the pages, none repeated', async (t) => {
  const { client } = await storeWith(t, {
    'a.dump': 'a',
    'b/1.dump': '1',
    'b/2.dump': '2',
    'c.dump': 'c',
    'd/1.dump': '1',
    'd/x/2.dump': '2',
    'e.dump': 'e',
  });
  const pages: { keys: string[]; prefixes: string[] }[] = [];
  for await (const page of paginateListObjectsV2({ client }, { Bucket: BUCKET, Delimiter: '/', MaxKeys: 2 })) {
    pages.push({
      keys: (page.Contents ?? []).map((object) => object.Key ?? ''),
      prefixes: (page.CommonPrefixes ?? []).map((prefix) => prefix.Prefix ?? ''),
    });
    t.equal(page.KeyCount, (page.Contents?.length ?? 0) + (page.CommonPrefixes?.length ?? 0));
  }
  t.same(pages, [
    { keys: ['a.dump'], prefixes: ['b/'] },
    { keys: ['c.dump'], prefixes: ['d/'] },
    { keys: ['e.dump'], prefixes: [] },
  ]);
  const under: string[] = [];
  for await (const page of paginateListObjectsV2({ client }, { Bucket: BUCKET, Prefix: 'd/', MaxKeys: 1 }))
    under.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
  t.same(under, ['d/1.dump', 'd/x/2.dump'], 'a prefix lists the keys below it, one a page');
});

t.test(
  'HeadObject: ETag is the MD5, ChecksumSHA256 the FULL_OBJECT sha256 of the file, as S3 gives them',
  async (t) => {
    const content = Buffer.from('the ERP dump of last night\n'.repeat(1000));
    const { client, directory } = await storeWith(t, { 'erp/erp-db-latest.dump': content });
    const head = await client.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: 'erp/erp-db-latest.dump', ChecksumMode: 'ENABLED' }),
    );
    t.equal(head.ChecksumSHA256, sha256(content, 'base64'));
    t.equal(head.ChecksumType, 'FULL_OBJECT');
    t.equal(head.ETag, `"${createHash('md5').update(content).digest('hex')}"`);
    t.equal(head.ContentLength, content.length);
    const mtime = statSync(join(directory, BUCKET, 'erp/erp-db-latest.dump')).mtimeMs;
    t.equal(head.LastModified?.getTime(), Math.floor(mtime / 1000) * 1000, 'the file time, in whole seconds');
    const plain = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'erp/erp-db-latest.dump' }));
    t.equal(plain.ChecksumSHA256, undefined, 'the checksum only when asked for (ChecksumMode)');
  },
);

t.test('GetObject: the bytes, one range, and If-Match refused with 412 for another ETag', async (t) => {
  const content = 'a sidecar or a dump';
  const { client } = await storeWith(t, { 'erp/x.dump': content });
  const whole = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'erp/x.dump' }));
  t.equal(await whole.Body?.transformToString(), content);
  const part = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'erp/x.dump', Range: 'bytes=2-8' }));
  t.equal(await part.Body?.transformToString(), content.slice(2, 9));
  t.equal(part.ContentRange, `bytes 2-8/${content.length}`);
  const replaced = new GetObjectCommand({ Bucket: BUCKET, Key: 'erp/x.dump', IfMatch: '"0123"' });
  t.same(await failureOf(client.send(replaced)), {
    name: 'PreconditionFailed',
    status: 412,
  });
  t.same(await failureOf(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'erp/none.dump' }))), {
    name: 'NoSuchKey',
    status: 404,
  });
});

t.test(
  'the s3 source reads a FULL_OBJECT checksum and the bucket facts of a bucket without versioning or lock',
  async (t) => {
    const content = 'the offsite copy';
    const { store, directory } = await storeWith(t, { 'erp/erp-db-latest.dump': content, 'wiki/w.tar': 'w' });
    const location = s3Location({ bucket: BUCKET, endpoint: store.endpoint, credentialsFile: keysFile(directory) });
    const result = await createS3Source(location).inventory(s3Context({ erp: ['erp/*.dump'] }));
    t.equal(result.status.status, 'ok', JSON.stringify(result.status.issues));
    t.match(result.status.facts, { versioning: 'not-reported', objectLock: 'not-enabled', region: 'not-reported' });
    t.equal(result.copies.length, 1);
    t.match(result.copies[0], {
      path: `s3://${BUCKET}/erp/erp-db-latest.dump`,
      recorded: { source: 's3-checksum', value: sha256(content, 'hex') },
    });
    const client = createS3Client(location);
    t.teardown(() => client.destroy());
    t.equal(await readBucketRegion(client, BUCKET, false), 'not-reported');
    t.match(await readBucketFacts(client, BUCKET), {
      versioning: 'not-reported',
      objectLock: 'not-enabled',
      issues: [],
    });
  },
);

t.test('read-only: writes are 501 NotImplemented in S3 XML, and the files stay as they were', async (t) => {
  const { store, client, directory } = await storeWith(t, { 'erp/x.dump': 'x' });
  const before = snapshotTree(directory);
  t.same(await failureOf(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'erp/x.dump', Body: 'y' }))), {
    name: 'NotImplemented',
    status: 501,
  });
  t.same(await failureOf(client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'erp/x.dump' }))), {
    name: 'NotImplemented',
    status: 501,
  });
  const acl = await fetch(`${store.endpoint}/${BUCKET}?acl`);
  t.equal(acl.status, 501, 'a call it does not implement');
  t.match(
    await acl.text(),
    /<Error><Code>NotImplemented<\/Code><Message>[^<]+<\/Message><Resource>\/offsite<\/Resource>/,
  );
  t.equal((await fetch(`${store.endpoint}/`)).status, 501, 'ListBuckets');
  await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'erp/x.dump' }));
  t.same(snapshotTree(directory), before);
});

t.test('no key or bucket name reaches outside the folder', async (t) => {
  const { store } = await storeWith(t, { 'erp/x.dump': 'x' });
  writeFileSync(join(store.directory, 'secret.txt'), 'not an object');
  // fetch would resolve the dots in the URL: a raw request sends them as a client could.
  const outside = await rawGet(store.endpoint, `/${BUCKET}/%2E%2E/secret.txt`);
  t.equal(outside.status, 404);
  t.match(outside.body, /<Code>NoSuchKey<\/Code>/);
  t.match((await rawGet(store.endpoint, `/${BUCKET}/../secret.txt`)).body, /<Code>NoSuchKey<\/Code>/);
  t.match((await rawGet(store.endpoint, '/../secret.txt')).body, /<Code>NoSuchBucket<\/Code>/);
  mkdirSync(join(store.directory, 'elsewhere'));
  writeFileSync(join(store.directory, 'elsewhere', 'secret.txt'), 'not an object either');
  symlinkSync(join(store.directory, 'elsewhere'), join(store.directory, BUCKET, 'linked'));
  t.match((await rawGet(store.endpoint, `/${BUCKET}/linked/secret.txt`)).body, /<Code>NoSuchKey<\/Code>/);
  const listed = await rawGet(store.endpoint, `/${BUCKET}?list-type=2`);
  t.match(listed.body, /<Key>erp\/x.dump<\/Key>/);
  t.notMatch(listed.body, /secret/, 'a linked directory is not listed');
});

t.test('closed, it answers nothing, and a client still connected does not hold it open', async (t) => {
  const directory = t.testdir({ [BUCKET]: { 'x.dump': 'x' } });
  const store = await startDemoObjectStore(directory);
  const client = testClient(store.endpoint, { accessKeyId: 'ANY', secretAccessKey: 'ANY' });
  await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'x.dump' }));
  await store.close();
  await t.rejects(fetch(`${store.endpoint}/${BUCKET}?location`));
  client.destroy();
});

function rawGet(endpoint: string, path: string): Promise<{ status: number | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(endpoint);
    const request = http.get({ hostname, port, path, headers: { connection: 'close' } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on('end', () => resolve({ status: response.statusCode, body }));
    });
    request.on('error', reject);
  });
}

/** The product's client takes keys from a credentials file, as an operator gives them (beside the buckets). */
function keysFile(directory: string): string {
  const file = join(directory, 'credentials');
  writeFileSync(file, credentialsFileText('ANY', 'ANY'));
  return file;
}
