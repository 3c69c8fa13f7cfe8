// The S3 read probe against a real s3rver: a ranged GET of a bounded sample, and nothing but GETs.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { Copy, SourceResult } from '../../../src/model.js';
import { keyOfPath, probeS3ReadSpeed } from '../../../src/sources/s3/read-probe.js';
import { fillMeasuredThroughput } from '../../../src/verify/throughput.js';
import { copy } from '../../helpers/copies.js';
import { credentialsFileText, s3Location } from '../../helpers/s3-context.js';
import {
  createBucketWith,
  S3RVER_CREDENTIALS,
  startCountingProxy,
  startS3rver,
  testClient,
} from '../../helpers/s3rver.js';

const MiB = 1024 * 1024;

t.test('a bucket without a configured throughput is measured with a ranged GET', async (t) => {
  const dir = t.testdir({ data: {}, state: {} });
  const server = await startS3rver(join(dir, 'data'));
  t.teardown(server.stop);
  // Over the 16 MiB a bucket's probe needs: a smaller object would say nothing about a restore.
  await createBucketWith(testClient(server.endpoint), 'backups', [
    { key: 'erp/big.dump', body: randomBytes(17 * MiB) },
  ]);
  const proxy = await startCountingProxy(server.port);
  t.teardown(proxy.close);
  const credentialsFile = join(dir, 'credentials');
  writeFileSync(
    credentialsFile,
    credentialsFileText(S3RVER_CREDENTIALS.accessKeyId, S3RVER_CREDENTIALS.secretAccessKey),
    {
      mode: 0o600,
    },
  );
  const location = s3Location({ bucket: 'backups', endpoint: proxy.endpoint, credentialsFile });

  const sample = await probeS3ReadSpeed(location, 'erp/big.dump', 2 * MiB);
  t.equal(sample.sampleBytes, 2 * MiB, 'only the sample is read, not the whole object');
  t.ok(sample.bytesPerSec > 0);

  const objectCopy: Copy = copy({
    location: 'cloud',
    locationType: 's3',
    kind: 'object',
    path: 's3://backups/erp/big.dump',
    bytes: 17 * MiB,
    device: 's3:127.0.0.1/backups',
    restore: { retrievalMs: 0 },
  });
  const result: SourceResult = {
    copies: [objectCopy],
    status: { id: 'cloud', type: 's3', status: 'ok', copies: 1, issues: [], facts: {}, durationMs: 0 },
  };
  await fillMeasuredThroughput([result], [location], {
    stateDir: join(dir, 'state'),
    now: new Date(),
    logger: pino({ level: 'silent' }),
  });
  t.equal(result.copies[0]?.restore?.throughputSource, 'measured');
  t.match(result.status.facts.throughputMeasured, /ranged GET, 17\.8 MB sample of s3:\/\/backups\/erp\/big\.dump/);
  t.same([...proxy.methods.keys()], ['GET'], 'the probe sends only GET requests');
});

t.test('keyOfPath takes the key out of an s3:// path of the bucket', async (t) => {
  t.equal(keyOfPath('s3://b/erp/x.dump', 'b'), 'erp/x.dump');
  t.throws(() => keyOfPath('s3://other/x', 'b'), /not an object of bucket b/);
});
