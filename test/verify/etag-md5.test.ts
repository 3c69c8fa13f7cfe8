// trustEtagMd5: an object's ETag checked against the MD5 of the local copy of the same backup, end to end on s3rver.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import t, { type Test } from 'tap';
import { configFromDocument } from '../../src/config/load.js';
import type { Report } from '../../src/model.js';
import { confirmEtagMd5, md5OfFile } from '../../src/verify/etag-md5.js';
import { MD5_STORE_NAME, openMd5Store } from '../../src/verify/md5-store.js';
import { verify } from '../../src/verify/run.js';
import { copy } from '../helpers/copies.js';
import { credentialsFileText } from '../helpers/s3-context.js';
import { createBucketWith, S3RVER_CREDENTIALS, startS3rver, testClient } from '../helpers/s3rver.js';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function estate(t: Test, remoteBody: string, trust: boolean): Promise<Report> {
  const root = t.testdir({ local: { erp: { 'erp.dump': 'the nightly dump\n' } }, s3: {}, state: {} });
  const server = await startS3rver(join(root, 's3'));
  t.teardown(server.stop);
  await createBucketWith(testClient(server.endpoint), 'backups', [{ key: 'erp/erp.dump', body: remoteBody }]);
  const credentialsFile = join(root, 'credentials');
  writeFileSync(
    credentialsFile,
    credentialsFileText(S3RVER_CREDENTIALS.accessKeyId, S3RVER_CREDENTIALS.secretAccessKey),
    {
      mode: 0o600,
    },
  );
  mkdirSync(join(root, 'state'), { recursive: true });
  const { config, problems } = configFromDocument(
    {
      agent: { id: 'etag', stateDir: join(root, 'state') },
      policy: { minCopies: 2, minMedia: 2, minOffline: 0, drillMaxAge: '0' },
      locations: [
        { id: 'local', type: 'disk', path: join(root, 'local'), throughput: '100MB/s' },
        {
          id: 'cloud',
          type: 's3',
          bucket: 'backups',
          endpoint: server.endpoint,
          credentialsFile,
          trustEtagMd5: trust,
          throughput: '10MB/s',
        },
      ],
      datasets: [{ id: 'erp', copies: { local: 'erp/*.dump', cloud: 'erp/' } }],
    },
    join(root, 'agent.json'),
    {},
  );
  t.same(problems, []);
  return (await verify({ config: config as NonNullable<typeof config>, logger: pino({ level: 'silent' }) })).report;
}

const integrityOf = (report: Report) => report.datasets[0]?.findings.find((f) => f.check === 'integrity');
const objectOf = (report: Report) => report.datasets[0]?.copies.find((c) => c.location === 'cloud');

t.test("an object whose ETag equals the local copy's MD5 is verified and takes its sha256", async (t) => {
  const report = await estate(t, 'the nightly dump\n', true);
  t.equal(objectOf(report)?.sha256, sha256('the nightly dump\n'));
  t.match(integrityOf(report), { status: 'pass', params: { verified: 2 } });
  t.equal(report.datasets[0]?.verdict, 'compliant');
});

t.test('an object of the same size whose ETag differs from the local MD5 is corrupt', async (t) => {
  const report = await estate(t, 'the nightly dumq\n', true);
  t.equal(objectOf(report)?.hashError, 'content-mismatch');
  t.match(integrityOf(report), { status: 'fail', reason: 'corrupt' });
});

t.test('without trustEtagMd5 the ETag proves nothing: the object stays unverified', async (t) => {
  const report = await estate(t, 'the nightly dump\n', false);
  t.equal(objectOf(report)?.sha256, undefined);
  t.match(integrityOf(report), { status: 'warn', reason: 'unverified' });
});

/** A local copy `a.dump` holding "x", hashed; the same backup as an object whose ETag is the MD5 of "x". */
const localCopy = (dir: string) => copy({ path: join(dir, 'a.dump'), name: 'a.dump', bytes: 1, sha256: sha256('x') });
const remoteCopy = (location: string) =>
  copy({
    location,
    locationType: 's3',
    kind: 'object',
    name: 'a.dump',
    bytes: 1,
    sha256: undefined,
    recorded: { value: md5('x'), source: 'etag-md5', ref: 'etag' },
  });

t.test('each local file is read once however many objects point at it', async (t) => {
  const dir = t.testdir({ 'a.dump': 'x' });
  const copies = [localCopy(dir), remoteCopy('cloud1'), remoteCopy('cloud2')];
  const locations = [1, 2].map((n) => ({ id: `cloud${n}`, type: 's3', bucket: 'b', trustEtagMd5: true }) as never);
  let reads = 0;
  await confirmEtagMd5([copies], locations, {
    md5: async () => {
      reads += 1;
      return md5('x');
    },
  });
  t.equal(reads, 1);
  t.ok(copies.slice(1).every((c) => c.sha256 === sha256('x')));
});

t.test(
  'the MD5 is remembered by the content it belongs to: a later run confirms the ETag without reading the file',
  async (t) => {
    const dir = t.testdir({ 'a.dump': 'x', state: {} });
    const state = join(dir, 'state');
    const locations = [{ id: 'cloud', type: 's3', bucket: 'b', trustEtagMd5: true } as never];
    const copies = () => [localCopy(dir), remoteCopy('cloud')];
    let reads = 0;
    const counting = async (path: string) => {
      reads += 1;
      return md5OfFile(path);
    };
    const run = async (readOnly = false) => {
      const list = copies();
      const known = await openMd5Store(state, { now: Date.now(), readOnly });
      await confirmEtagMd5([list], locations, { md5: counting, known });
      await known.save();
      return list[1];
    };
    t.equal((await run())?.sha256, sha256('x'), 'first run: read and confirmed');
    t.equal(reads, 1);
    t.equal((await run())?.sha256, sha256('x'), 'second run: confirmed');
    t.equal(reads, 1, 'without reading the file again');
    const stored = JSON.parse(readFileSync(join(state, MD5_STORE_NAME), 'utf8'));
    t.same(Object.keys(stored), [sha256('x')], 'kept by the sha256 of the content');
    writeFileSync(
      join(state, MD5_STORE_NAME),
      JSON.stringify({ [sha256('x')]: { value: 'not hex', usedAt: Date.now() } }),
    );
    t.equal((await run(true))?.sha256, sha256('x'), 'a damaged entry is not trusted: the file is read again');
    t.equal(reads, 2);
    t.equal(
      readFileSync(join(state, MD5_STORE_NAME), 'utf8').includes('not hex'),
      true,
      'a read-only run writes nothing',
    );
  },
);
