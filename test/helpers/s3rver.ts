// Test helpers for S3: a real s3rver child process, a test-side client, fixtures, and a method-counting proxy.
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { closeServer, listenOnLoopback } from '../../src/demo/loopback.js';

const require = createRequire(import.meta.url);

export interface RunningS3rver {
  endpoint: string;
  port: number;
  /** Its process id (a test that counts this process's children leaves the server out). */
  pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts s3rver in its own process. It needs --openssl-legacy-provider (its continuation tokens use a
 * cipher OpenSSL 3 refuses: without it, page 2 of a listing answers 500); the product never gets that flag.
 */
export async function startS3rver(directory: string): Promise<RunningS3rver> {
  const bin = join(dirname(require.resolve('s3rver/package.json')), 'bin', 's3rver.js');
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', bin, '-d', directory, '-a', '127.0.0.1', '-p', '0', '--silent'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      // s3rver prints this line even with --silent; port 0 lets the OS pick a free port.
      const match = /listening on [\d.]+:(\d+)/.exec(output);
      if (match?.[1]) resolve(Number(match[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code}): ${output}`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export const S3RVER_CREDENTIALS = {
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
};

/**
 * The test's own client (for fixtures). WHEN_REQUIRED: the SDK's default would send streamed bodies as
 * aws-chunked with a checksum trailer, which s3rver stores framing and all.
 */
export function testClient(endpoint: string, credentials = S3RVER_CREDENTIALS): S3Client {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export interface FixtureObject {
  key: string;
  body: string | Buffer;
}

export async function createBucketWith(client: S3Client, bucket: string, objects: FixtureObject[]): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  await putObjects(client, bucket, objects);
}

/** Uploads a few at a time: two shared cores, and s3rver writes each object as files. */
export async function putObjects(
  client: S3Client,
  bucket: string,
  objects: FixtureObject[],
  parallel = 16,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < objects.length) {
      const object = objects[next++] as FixtureObject;
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: object.key,
          Body: object.body,
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

export interface CountingProxy {
  endpoint: string;
  /** Request count per HTTP method, as the proxy saw them on the way to the server. */
  methods: Map<string, number>;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of a server that counts request methods: the read-only proof. `beforeForward`
 * runs before a request goes on, e.g. to replace an object between a listing and its download.
 */
export async function startCountingProxy(
  targetPort: number,
  beforeForward?: (request: http.IncomingMessage) => Promise<void>,
): Promise<CountingProxy> {
  const methods = new Map<string, number>();
  const server = http.createServer(async (request, response) => {
    const method = request.method ?? '?';
    methods.set(method, (methods.get(method) ?? 0) + 1);
    // Paused until forwarded: the body waits for the pipe below.
    request.pause();
    await beforeForward?.(request);
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: targetPort,
        method,
        path: request.url,
        headers: request.headers,
      },
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
  });
  return listen(server, (endpoint) => ({
    endpoint,
    methods,
    close: () => closeServer(server),
  }));
}

export async function listen<T>(server: http.Server, make: (endpoint: string) => T): Promise<T> {
  return make(await listenOnLoopback(server));
}

export { closeServer };
