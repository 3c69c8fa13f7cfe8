// The product's S3 client: no SDK Node-version warning on stderr, writes refused before they leave, endpoint labels.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import t from 'tap';
import { createS3Client, endpointLabel, suppressNodeVersionWarning } from '../../../src/sources/s3/client.js';
import { startFixtureServer } from '../../fixtures/s3-fixture-server.js';
import { credentialsFileText, s3Location } from '../../helpers/s3-context.js';

// A fresh process per case: the SDK emits its warning once per process, so only a child shows it.
function stderrOfClientIn(env: NodeJS.ProcessEnv): string {
  const script = `
    import { createS3Client } from './src/sources/s3/client.js';
    createS3Client({ id: 'x', type: 's3', bucket: 'b', prefix: '', forcePathStyle: true, retrievalTier: 'standard',
      trustEtagMd5: false, deepMaxBytes: 1, listConcurrency: 1, requestTimeoutMs: 1000 }).destroy();`;
  const child = spawnSync(
    process.execPath,
    ['--import=./node_modules/@tapjs/typescript/dist/esm/import.mjs', '--input-type=module', '-e', script],
    { env, encoding: 'utf8' },
  );
  return child.stderr;
}

t.test('the SDK Node-version warning stays out of the product output on Node 20', async (t) => {
  const env = { ...process.env };
  delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  t.notMatch(stderrOfClientIn(env), /NodeVersionSupportWarning/);
  if (Number(process.versions.node.split('.')[0]) < 22) {
    // The control: with the switch explicitly off, the same code does warn, so the switch is what hides it.
    t.match(
      stderrOfClientIn({
        ...env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false',
      }),
      /NodeVersionSupportWarning/,
    );
  }
});

t.test('suppressNodeVersionWarning respects an operator value', async (t) => {
  const env: NodeJS.ProcessEnv = {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false',
  };
  suppressNodeVersionWarning(env);
  t.equal(env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, 'false');
  const empty: NodeJS.ProcessEnv = {};
  suppressNodeVersionWarning(empty);
  t.equal(empty.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, 'true');
});

t.test('a write request is refused before it reaches the server', async (t) => {
  const server = await startFixtureServer({ buckets: { b: { objects: [] } } });
  t.teardown(() => server.close());
  const credentialsFile = join(
    t.testdir({ credentials: credentialsFileText('AKIATEST', 'test-secret') }),
    'credentials',
  );
  const client = createS3Client(s3Location({ bucket: 'b', endpoint: server.endpoint, credentialsFile }));
  t.teardown(() => client.destroy());
  await t.rejects(client.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' })), {
    code: 'B321_S3_WRITE_BLOCKED',
  });
  t.same(server.requests, [], 'nothing was sent');
});

t.test('the device id names the endpoint host and port, or "aws"', async (t) => {
  t.equal(endpointLabel(s3Location({ bucket: 'b' })), 'aws');
  t.equal(endpointLabel(s3Location({ bucket: 'b', endpoint: 'https://s3.example.vn:8443/' })), 's3.example.vn:8443');
  t.equal(endpointLabel(s3Location({ bucket: 'b', endpoint: 'not a url' })), 'not a url');
});
