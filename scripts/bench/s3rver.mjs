// s3rver for the benchmark: its own process (with --openssl-legacy-provider, never the product's), filled by writing its on-disk layout.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Writes `count` objects under `prefix` the way s3rver 3.7's filesystem store keeps them
 * (<bucket>/<key>._S3rver_object, .md5 beside it, ._S3rver_metadata.json): seconds instead of minutes
 * of PutObject. The caller checks that s3rver then lists and serves them (see verifyServed).
 */
export function writeObjects(directory, bucket, prefix, count) {
  const base = join(directory, bucket, ...prefix.split('/').filter(Boolean));
  mkdirSync(base, { recursive: true });
  const metadata = JSON.stringify({ 'content-type': 'application/octet-stream' });
  const keys = [];
  for (let i = 0; i < count; i++) {
    const name = `obj-${String(i).padStart(6, '0')}.dump`;
    const body = `backup object ${i}\n`;
    const path = join(base, `${name}._S3rver_object`);
    writeFileSync(path, body);
    writeFileSync(`${path}.md5`, createHash('md5').update(body).digest('hex'));
    writeFileSync(join(base, `${name}._S3rver_metadata.json`), metadata);
    keys.push(`${prefix}${name}`);
  }
  return keys;
}

export async function startS3rver(directory) {
  const bin = join(dirname(require.resolve('s3rver/package.json')), 'bin', 's3rver.js');
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', bin, '-d', directory, '-a', '127.0.0.1', '-p', '0', '--silent'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const port = await new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      const match = /listening on [\d.]+:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code}): ${output}`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: () =>
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : new Promise((resolve) => {
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
  };
}

/** Proves s3rver serves the written layout: a GET of one object returns its body and its MD5 as ETag. */
export async function verifyServed(endpoint, bucket, key, body) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');
  const client = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  try {
    const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = await answer.Body.transformToString();
    const md5 = createHash('md5').update(body).digest('hex');
    if (text !== body || answer.ETag !== `"${md5}"`)
      throw new Error(
        `s3rver serves ${key} as ${JSON.stringify(text)} ${answer.ETag}, expected ${JSON.stringify(body)} "${md5}"`,
      );
  } finally {
    client.destroy();
  }
}
