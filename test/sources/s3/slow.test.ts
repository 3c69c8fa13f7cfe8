// A slow but working S3 endpoint (every answer 300 ms late, as over a congested WAN link) is read completely, not timed out.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { createS3Source } from '../../../src/sources/s3/source.js';
import { credentialsFileText, s3Context, s3Location } from '../../helpers/s3-context.js';
import { createBucketWith, startS3rver, testClient } from '../../helpers/s3rver.js';

const DELAY_MS = 300;

/** Forwards to s3rver after a fixed delay on every request. */
async function startSlowProxy(
  targetPort: number,
): Promise<{ endpoint: string; requests: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server = http.createServer((request, response) => {
    count += 1;
    setTimeout(() => {
      const upstream = http.request(
        { host: '127.0.0.1', port: targetPort, method: request.method, path: request.url, headers: request.headers },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on('error', () => {
        response.writeHead(502);
        response.end();
      });
      request.pipe(upstream);
    }, DELAY_MS);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

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
  const proxy = await startSlowProxy(server.port);
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
  t.ok(proxy.requests() > keys.length, 'the requests really went through the slow link');
});
