// `backup321 verify --deep` over a disk and a real S3-compatible server: only GET and HEAD reach the server, no object changes.
import t from 'tap';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { Report } from '../../src/model.js';
import { runCli } from '../helpers/cli.js';
import { credentialsFileText } from '../helpers/s3-context.js';
import {
  createBucketWith,
  S3RVER_CREDENTIALS,
  startCountingProxy,
  startS3rver,
  testClient,
} from '../helpers/s3rver.js';

const dump = 'nightly dump of erp\n'.repeat(100);
const sha256 = createHash('sha256').update(dump).digest('hex');

t.test('a verify run and an inventory send no write request and change no object', async (t) => {
  const root = t.testdir({ local: { erp: { 'erp.dump': dump } }, s3: {}, state: {} });
  const server = await startS3rver(join(root, 's3'));
  t.teardown(server.stop);
  const client = testClient(server.endpoint);
  await createBucketWith(client, 'backups', [
    { key: 'erp/erp.dump', body: dump },
    { key: 'erp/erp.dump.sha256', body: `${sha256}  erp.dump\n` },
  ]);
  const listing = async () =>
    ((await client.send(new ListObjectsV2Command({ Bucket: 'backups' }))).Contents ?? []).map(
      (o) => `${o.Key} ${o.ETag} ${o.Size} ${o.LastModified?.toISOString()}`,
    );
  const before = await listing();
  const proxy = await startCountingProxy(server.port);
  t.teardown(proxy.close);
  const credentialsFile = join(root, 'credentials');
  writeFileSync(
    credentialsFile,
    credentialsFileText(S3RVER_CREDENTIALS.accessKeyId, S3RVER_CREDENTIALS.secretAccessKey),
    {
      mode: 0o600,
    },
  );
  const configFile = join(root, 'agent.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      agent: { id: 'erp-01', stateDir: join(root, 'state') },
      policy: { minCopies: 2, minMedia: 2, minOffline: 0, drillMaxAge: '0' },
      locations: [
        { id: 'local', type: 'disk', path: join(root, 'local'), throughput: '200MB/s' },
        { id: 'cloud', type: 's3', bucket: 'backups', endpoint: proxy.endpoint, credentialsFile },
      ],
      datasets: [{ id: 'erp-db', copies: { local: 'erp/*.dump', cloud: 'erp/' } }],
    }),
  );
  const verify = await runCli(['verify', '-c', configFile, '--deep', '-f', 'json']);
  t.equal(verify.code, 0, verify.stderr);
  const report = JSON.parse(verify.stdout) as Report;
  const object = report.datasets[0]?.copies.find((c) => c.location === 'cloud');
  t.match(object, { sha256, recorded: { source: 'sidecar', value: sha256 }, medium: 'object-storage' });
  t.equal(report.datasets[0]?.verdict, 'compliant', 'a disk and a bucket: two copies, two media, verified');
  t.match(
    report.sources.find((s) => s.id === 'cloud')?.facts.throughputMeasured,
    /^unknown: the largest copy \(2\.0 kB\) is smaller than the 16\.8 MB a read probe needs/,
    'a 2 kB object is too small to time a restore by: the bucket says so',
  );
  t.equal((await runCli(['inventory', '-c', configFile])).code, 0);
  t.ok([...proxy.methods.keys()].length > 0, 'requests went through the proxy');
  t.same(
    [...proxy.methods.keys()].filter((m) => m !== 'GET' && m !== 'HEAD'),
    [],
    `only GET and HEAD: ${JSON.stringify([...proxy.methods])}`,
  );
  t.same(await listing(), before, 'every object unchanged: key, ETag, size, time');
});
