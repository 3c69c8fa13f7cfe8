// Failure domains of s3 locations in a verify run: one endpoint is one device unless the config says otherwise.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { configFromDocument } from '../../src/config/load.js';
import type { Report } from '../../src/model.js';
import { verify } from '../../src/verify/run.js';
import { credentialsFileText } from '../helpers/s3-context.js';
import { createBucketWith, type RunningS3rver, startS3rver, testClient } from '../helpers/s3rver.js';

const dump = 'erp dump of the first of November\n';
const sha256 = createHash('sha256').update(dump).digest('hex');

let server: RunningS3rver;
let root: string;
let credentialsFile: string;

t.before(async () => {
  root = t.testdir({ data: {}, state: {} });
  credentialsFile = join(root, 'credentials');
  writeFileSync(credentialsFile, credentialsFileText('S3RVER', 'S3RVER'));
  server = await startS3rver(join(root, 'data'));
  const client = testClient(server.endpoint);
  for (const bucket of ['backups-a', 'backups-b']) {
    await createBucketWith(client, bucket, [
      { key: 'erp/erp.dump', body: dump },
      { key: 'erp/erp.dump.sha256', body: `${sha256}  erp.dump\n` },
    ]);
  }
  client.destroy();
});
t.teardown(() => server.stop());

/** Two buckets on the one s3rver, the second location's endpoint written with a trailing slash. */
async function verifyTwoBuckets(extra: { a?: object; b?: object } = {}): Promise<Report> {
  const { config, problems } = configFromDocument(
    {
      agent: { id: 'domains', stateDir: join(root, 'state') },
      policy: { minCopies: 2, minMedia: 0, minOffline: 0, drillMaxAge: '0' },
      locations: [
        {
          id: 'a',
          type: 's3',
          bucket: 'backups-a',
          endpoint: server.endpoint,
          credentialsFile,
          throughput: '100MB/s',
          ...extra.a,
        },
        {
          id: 'b',
          type: 's3',
          bucket: 'backups-b',
          endpoint: `${server.endpoint}/`,
          credentialsFile,
          throughput: '100MB/s',
          ...extra.b,
        },
      ],
      datasets: [{ id: 'erp', copies: { a: 'erp/', b: 'erp/' } }],
    },
    join(root, 'agent.json'),
    {},
  );
  if (!config) throw new Error(JSON.stringify(problems));
  return (await verify({ config, logger: pino({ level: 'silent' }) })).report;
}

const copiesFinding = (report: Report) => report.datasets[0]?.findings.find((f) => f.check === 'copies');
const factsOf = (report: Report, id: string) => report.sources.find((s) => s.id === id)?.facts;

t.test('two buckets on one endpoint are one failure domain: the copies check counts one device', async (t) => {
  const report = await verifyTwoBuckets();
  t.match(copiesFinding(report), { status: 'fail', reason: 'too-few', params: { have: 1, need: 2 } });
  const devices = report.datasets[0]?.copies.map((c) => c.device);
  t.equal(new Set(devices).size, 1, `one device for both buckets: ${JSON.stringify(devices)}`);
  t.same(
    [...(copiesFinding(report)?.evidence.notCounted ?? [])].map((e) => e.note),
    ['same-device'],
    'the second bucket is named as being on the same device',
  );
  for (const id of ['a', 'b']) {
    t.match(
      factsOf(report, id),
      { failureDomain: `s3:127.0.0.1:${server.port}`, failureDomainSource: 'derived' },
      `location ${id} says its failure domain and that it was derived`,
    );
  }
});

t.test('failureDomain set differently on each location makes them two devices, and the facts say so', async (t) => {
  const report = await verifyTwoBuckets({
    a: { failureDomain: 'provider-x/account-1' },
    b: { failureDomain: 'provider-x/account-2' },
  });
  t.match(copiesFinding(report), { status: 'pass', params: { have: 2 } });
  t.same(report.datasets[0]?.copies.map((c) => c.device).sort(), ['provider-x/account-1', 'provider-x/account-2']);
  t.match(factsOf(report, 'a'), { failureDomain: 'provider-x/account-1', failureDomainSource: 'configured' });
  t.match(factsOf(report, 'b'), { failureDomain: 'provider-x/account-2', failureDomainSource: 'configured' });
});

t.test('the old key "device" still sets the failure domain', async (t) => {
  const report = await verifyTwoBuckets({ b: { device: 'other-account' } });
  t.match(copiesFinding(report), { status: 'pass', params: { have: 2 } });
  t.match(factsOf(report, 'b'), { failureDomain: 'other-account', failureDomainSource: 'configured' });
});
