// A slow but working S3 endpoint (every answer 300 ms late, as over a congested WAN link) is read completely, not timed out.
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { createS3Source } from '../../../src/sources/s3/source.js';
import { credentialsFileText, s3Context, s3Location } from '../../helpers/s3-context.js';
import { createBucketWith, startCountingProxy, startS3rver, testClient } from '../../helpers/s3rver.js';

const DELAY_MS = 300;

t.test('every object is listed and read through a slow link, well inside requestTimeout', async (t) => {
  const dir = t.testdir({ data: {} });
  const server = await startS3rver(join(dir, 'data'));
  t.teardown(server.stop);
  const keys = Array.from({ length: 12 }, (_, i) => `erp/${String(i).padStart(2, '0')}.dump`);
  await createBucketWith(
    testClient(server.endpoint),
    'backups',
    keys.map((key) => ({ key, body: `dump ${key}\n` })),
  );
  // Every request forwarded to s3rver only after the delay.
  const proxy = await startCountingProxy(server.port, () => sleep(DELAY_MS));
  t.teardown(proxy.close);
  const credentialsFile = join(dir, 'credentials');
  writeFileSync(credentialsFile, credentialsFileText('S3RVER', 'S3RVER'));
  const location = s3Location({
    bucket: 'backups',
    endpoint: proxy.endpoint,
    credentialsFile,
    requestTimeoutMs: 3_000,
  });
  const { copies, status } = await createS3Source(location).inventory(s3Context({ erp: ['erp/'] }, { deep: true }));
  t.equal(status.status, 'ok', JSON.stringify(status.issues));
  t.equal(copies.length, keys.length);
  t.ok(
    copies.every((copy) => copy.sha256),
    'every object downloaded and hashed despite the delay',
  );
  t.ok(
    [...proxy.methods.values()].reduce((a, b) => a + b, 0) > keys.length,
    'the requests really went through the slow link',
  );
});
