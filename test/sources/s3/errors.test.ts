// Endpoints that cannot be read make the location unreadable, never pass: refused connections and silent servers.
import http from 'node:http';
import t from 'tap';
import { createS3Source } from '../../../src/sources/s3/source.js';
import { classifyS3Error } from '../../../src/sources/s3/errors.js';
import { s3Context, s3Location } from '../../helpers/s3-context.js';
import { closeServer, listen } from '../../helpers/s3rver.js';

const credentials = {
  AWS_ACCESS_KEY_ID: 'AKIATEST',
  AWS_SECRET_ACCESS_KEY: 'test-secret',
};

t.before(() => {
  // The standard chain's env step: no credentials file is needed for endpoints that never answer.
  Object.assign(process.env, credentials);
});
t.teardown(() => {
  for (const name of Object.keys(credentials)) delete process.env[name];
});

t.test('a closed port is unreachable: the location is unreadable', async (t) => {
  const probe = http.createServer();
  const endpoint = await listen(probe, (url) => url);
  await closeServer(probe); // the port is now closed
  const result = await createS3Source(s3Location({ bucket: 'b', endpoint, requestTimeoutMs: 1000 })).inventory(
    s3Context({ erp: ['erp/'] }),
  );
  t.equal(result.status.status, 'unreadable');
  t.match(result.status.issues, [
    {
      severity: 'error',
      code: 'B321_S3_UNREACHABLE',
      message: /ECONNREFUSED/,
    },
  ]);
  t.notOk('dataset' in (result.status.issues[0] ?? {}), 'the whole location, not one dataset');
});

t.test('a server that never answers times out within requestTimeout per attempt', async (t) => {
  const silent = http.createServer(() => {
    /* accept and never answer */
  });
  const endpoint = await listen(silent, (url) => url);
  t.teardown(() => closeServer(silent));
  const requestTimeoutMs = 300;
  const started = Date.now();
  const result = await createS3Source(s3Location({ bucket: 'b', endpoint, requestTimeoutMs })).inventory(
    s3Context({ erp: ['erp/'] }),
  );
  const elapsed = Date.now() - started;
  t.equal(result.status.status, 'unreadable');
  t.match(result.status.issues, [
    {
      severity: 'error',
      code: 'B321_S3_UNREACHABLE',
      message: /requestTimeout|timed? ?out/i,
    },
  ]);
  // 4 attempts of 300 ms plus the SDK's jittered backoff; far below any default socket timeout.
  t.ok(elapsed < 8_000, `gave up after ${elapsed} ms`);
});

t.test('error classification: codes users can match on', async (t) => {
  const answered = (name: string, status: number) =>
    Object.assign(new Error(name), {
      name,
      $metadata: { httpStatusCode: status },
    });
  t.match(classifyS3Error(answered('AccessDenied', 403)), {
    code: 'B321_S3_ACCESS_DENIED',
    credentials: false,
  });
  t.match(classifyS3Error(answered('InvalidAccessKeyId', 403)), {
    code: 'B321_S3_ACCESS_DENIED',
    credentials: true,
  });
  t.match(classifyS3Error(answered('NoSuchBucket', 404)), {
    code: 'B321_S3_NO_BUCKET',
  });
  t.match(classifyS3Error(answered('NotFound', 404)), {
    code: 'B321_S3_MISSING',
  });
  t.match(classifyS3Error(answered('InternalError', 500)), {
    code: 'B321_S3_ERROR',
  });
  t.match(classifyS3Error(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })), {
    code: 'B321_S3_UNREACHABLE',
  });
  t.match(classifyS3Error('odd'), {
    code: 'B321_S3_UNREACHABLE',
    message: /odd/,
  });
});
