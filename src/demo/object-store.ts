// The demo's S3-compatible endpoint: serves, read-only, the buckets of a folder (each subfolder a
// bucket, each file below it an object) on 127.0.0.1, for the demo's agents and nobody else. It answers
// the calls the s3 source sends as the Amazon S3 API Reference documents them: GetBucketLocation,
// GetBucketVersioning and GetObjectLockConfiguration (a bucket that never had either), ListObjectsV2,
// HeadObject and GetObject (ETag = MD5, a FULL_OBJECT ChecksumSHA256 it computes from the bytes,
// If-Match, one Range). Anything else is 501 NotImplemented. It checks no signature: a demo endpoint.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { type FolderObject, objectAt, objectsUnder, type PageEnd, pageOf } from './bucket-folder.js';
import { closeServer, listenOnLoopback } from './loopback.js';
import { createDigestCache, type ObjectDigests } from './object-digests.js';
import { ifMatchHolds, listObjectsV2Xml, S3_NS, type Sent, sendS3Error, sendS3Xml } from './s3-answers.js';

export interface DemoObjectStore {
  /** `http://127.0.0.1:PORT`: path-style addressing (`/bucket/key`). */
  endpoint: string;
  /** The folder served: each subfolder named like a bucket is one. */
  directory: string;
  close(): Promise<void>;
}

/**
 * Dummy keys for the demo endpoint, which checks no signature. The SDK signs every request, so it needs
 * some; these are given to the demo's agents through their environment, never in a config file.
 */
export const DEMO_S3_KEYS = {
  AWS_ACCESS_KEY_ID: 'BACKUP321DEMO',
  AWS_SECRET_ACCESS_KEY: 'the-demo-endpoint-checks-no-signature',
} as const;

/**
 * The environment of a process of the demo: the dummy keys, and none of the user's own profile (with
 * AWS_PROFILE set the SDK skips keys in the environment) or session token (it would be sent along).
 */
export function demoS3Environment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { AWS_PROFILE: _profile, AWS_SESSION_TOKEN: _token, AWS_CREDENTIAL_EXPIRATION: _expiry, ...rest } = env;
  return { ...rest, ...DEMO_S3_KEYS };
}

// S3's bucket naming rules (3 to 63 lower-case letters, digits, dots and hyphens): a name never walks the tree.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const MAX_KEYS = 1000;
const LIST_PARAMS = new Set([
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'continuation-token',
  'start-after',
  'encoding-type',
  'fetch-owner',
]);
// Headers asking for what this endpoint does not do: S3 answers a header it does not implement with 501.
const UNIMPLEMENTED_HEADERS = [
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'x-amz-server-side-encryption-customer-algorithm',
];

interface Call {
  request: http.IncomingMessage;
  response: http.ServerResponse;
  /** The path as sent: a URL parser would resolve "." and ".." segments, which are key text in S3. */
  path: string;
  query: URLSearchParams;
  /** The sub-resources and parameters of the call, the SDK's `x-id` left out. */
  params: Set<string>;
  head: boolean;
  requestId: string;
  resource: string;
}

export async function startDemoObjectStore(directory: string): Promise<DemoObjectStore> {
  const digestsOf = createDigestCache();
  const server = http.createServer((request, response) => {
    request.resume();
    const [path = '/', search = ''] = (request.url ?? '/').split(/\?(.*)/s);
    const query = new URLSearchParams(search);
    const call: Call = {
      request,
      response,
      path,
      query,
      params: new Set([...query.keys()].filter((name) => name !== 'x-id')),
      head: request.method === 'HEAD',
      requestId: randomBytes(8).toString('hex').toUpperCase(),
      resource: path,
    };
    answer(call, directory, digestsOf).catch(() => {
      if (!response.headersSent)
        fail(call, 500, 'InternalError', 'We encountered an internal error. Please try again.');
      else response.destroy();
    });
  });
  const endpoint = await listenOnLoopback(server);
  return { endpoint, directory, close: () => closeServer(server) };
}

function fail(call: Call, status: number, code: string, message: string): Sent {
  return sendS3Error(call.response, {
    status,
    code,
    message,
    head: call.head,
    requestId: call.requestId,
    resource: call.resource,
  });
}

function notImplemented(call: Call): Sent {
  return fail(call, 501, 'NotImplemented', 'backup321 demo endpoint: only the read calls of backup321 are implemented');
}

async function answer(
  call: Call,
  directory: string,
  digestsOf: (object: FolderObject) => Promise<ObjectDigests>,
): Promise<Sent> {
  const method = call.request.method;
  if (method !== 'GET' && method !== 'HEAD') return notImplemented(call);
  if (UNIMPLEMENTED_HEADERS.some((name) => call.request.headers[name] !== undefined)) return notImplemented(call);
  const [, bucket = '', ...keyParts] = call.path.split('/');
  if (bucket === '') return notImplemented(call); // ListBuckets
  let key: string;
  try {
    key = decodeURIComponent(keyParts.join('/'));
  } catch {
    return fail(call, 400, 'InvalidURI', "Couldn't parse the specified URI.");
  }
  const folder = join(directory, bucket);
  if (!BUCKET_NAME.test(bucket) || !(await isDirectory(folder)))
    return fail(call, 404, 'NoSuchBucket', 'The specified bucket does not exist');
  if (key === '') return bucketCall(call, bucket, folder, digestsOf);
  // GetObjectRetention, GetObjectLegalHold: what S3 answers in a bucket created without Object Lock.
  if (call.params.size === 1 && (call.params.has('retention') || call.params.has('legal-hold')))
    return fail(call, 400, 'InvalidRequest', 'Bucket is missing Object Lock Configuration');
  if (call.params.size > 0) return notImplemented(call);
  const object = await objectAt(folder, key);
  if (!object) return fail(call, 404, 'NoSuchKey', 'The specified key does not exist.');
  return objectCall(call, object, await digestsOf(object));
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function bucketCall(
  call: Call,
  bucket: string,
  folder: string,
  digestsOf: (object: FolderObject) => Promise<ObjectDigests>,
): Promise<Sent> {
  const only = (name: string): boolean => call.params.size === 1 && call.params.has(name);
  const xml = (body: string): Sent => sendS3Xml(call.response, 200, body, call.requestId);
  if (call.head) return notImplemented(call); // HeadBucket
  // An empty LocationConstraint is us-east-1, the region the demo's clients sign for.
  if (only('location')) return xml(`<LocationConstraint xmlns="${S3_NS}"></LocationConstraint>`);
  // A bucket that never had versioning: S3 leaves Status out.
  if (only('versioning')) return xml(`<VersioningConfiguration xmlns="${S3_NS}"></VersioningConfiguration>`);
  if (only('object-lock'))
    return fail(
      call,
      404,
      'ObjectLockConfigurationNotFoundError',
      'Object Lock configuration does not exist for this bucket',
    );
  if (call.query.get('list-type') !== '2' || [...call.params].some((name) => !LIST_PARAMS.has(name)))
    return notImplemented(call);
  return listCall(call, bucket, folder, digestsOf);
}

/** ListObjectsV2: one page of the folder's files, with the MD5 of each as its ETag. */
async function listCall(
  call: Call,
  bucket: string,
  folder: string,
  digestsOf: (object: FolderObject) => Promise<ObjectDigests>,
): Promise<Sent> {
  const q = call.query;
  if ((q.get('fetch-owner') ?? 'false') !== 'false') return notImplemented(call);
  const maxKeysText = q.get('max-keys') ?? String(MAX_KEYS);
  if (!/^\d+$/.test(maxKeysText))
    return fail(call, 400, 'InvalidArgument', 'Provided max-keys not an integer or within integer range');
  const encoding = q.get('encoding-type');
  if (encoding !== null && encoding !== 'url')
    return fail(call, 400, 'InvalidArgument', 'Invalid Encoding Method specified in Request');
  const token = q.get('continuation-token') ?? undefined;
  const after = token === undefined ? undefined : pageEndOf(token);
  if (token !== undefined && !after)
    return fail(call, 400, 'InvalidArgument', 'The continuation token provided is incorrect');
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') || undefined;
  const startAfter = q.get('start-after') ?? undefined;
  const maxKeys = Math.min(Number(maxKeysText), MAX_KEYS);
  const page = pageOf(await objectsUnder(folder, prefix), {
    prefix,
    maxKeys,
    ...(delimiter ? { delimiter } : {}),
    ...(startAfter !== undefined ? { startAfter } : {}),
    ...(after ? { after } : {}),
  });
  const contents = [];
  for (const object of page.objects) {
    const { md5 } = await digestsOf(object);
    contents.push({
      key: object.key,
      lastModified: lastModifiedOf(object).toISOString(),
      etag: md5,
      // As if each were uploaded in one part with a SHA-256 checksum: HeadObject with ChecksumMode gives it.
      checksumAlgorithm: 'SHA256' as const,
      checksumType: 'FULL_OBJECT' as const,
      size: object.size,
      storageClass: 'STANDARD',
    });
  }
  return sendS3Xml(
    call.response,
    200,
    listObjectsV2Xml({
      bucket,
      prefix,
      maxKeys,
      contents,
      commonPrefixes: page.commonPrefixes,
      urlEncoded: encoding === 'url',
      ...(delimiter ? { delimiter } : {}),
      ...(startAfter !== undefined ? { startAfter } : {}),
      ...(token !== undefined ? { continuationToken: token } : {}),
      ...(page.last ? { nextContinuationToken: tokenOf(page.last) } : {}),
    }),
    call.requestId,
  );
}

/** The continuation token is opaque to clients; here it names where the page ended. */
const tokenOf = (end: PageEnd): string => Buffer.from(JSON.stringify(end)).toString('base64url');

function pageEndOf(token: string): PageEnd | undefined {
  try {
    const end = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<PageEnd>;
    return typeof end.item === 'string' && typeof end.commonPrefix === 'boolean'
      ? { item: end.item, commonPrefix: end.commonPrefix }
      : undefined;
  } catch {
    return undefined;
  }
}

/** S3 keeps whole seconds: the listing's time and HeadObject's Last-Modified are the same instant. */
const lastModifiedOf = (object: FolderObject): Date => new Date(Math.floor(object.mtimeMs / 1000) * 1000);

/** One `bytes=` range: [first, last] inclusive; undefined for none (or one HTTP says to ignore). */
function rangeOf(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | 'many' | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (header?.includes(',')) return 'many';
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [, from = '', to = ''] = match;
  if (from === '') {
    const suffix = Math.min(Number(to), size);
    return suffix === 0 ? 'unsatisfiable' : [size - suffix, size - 1];
  }
  const first = Number(from);
  if (first >= size) return 'unsatisfiable';
  const last = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  return last < first ? undefined : [first, last];
}

function objectCall(call: Call, object: FolderObject, digests: ObjectDigests): Sent {
  const { request, response } = call;
  if (!ifMatchHolds(request.headers['if-match'], digests.md5))
    return fail(call, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
  const range = rangeOf(request.headers.range, object.size);
  if (range === 'many') return notImplemented(call);
  if (range === 'unsatisfiable') return fail(call, 416, 'InvalidRange', 'The requested range is not satisfiable');
  const [first, last] = range ?? [0, object.size - 1];
  const headers: Record<string, string> = {
    'last-modified': lastModifiedOf(object).toUTCString(),
    etag: `"${digests.md5}"`,
    'content-length': String(Math.max(0, last - first + 1)),
    'content-type': 'application/octet-stream',
    'accept-ranges': 'bytes',
    'x-amz-request-id': call.requestId,
  };
  if (range) headers['content-range'] = `bytes ${first}-${last}/${object.size}`;
  // The whole object's checksum, only when asked for and only for the whole object (not a range).
  if (request.headers['x-amz-checksum-mode'] === 'ENABLED' && !range) {
    headers['x-amz-checksum-sha256'] = digests.sha256;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  response.writeHead(range ? 206 : 200, headers);
  if (call.head || object.size === 0) {
    response.end();
    return true;
  }
  const body = createReadStream(object.path, { start: first, end: last });
  body.on('error', () => response.destroy());
  body.pipe(response);
  return true;
}
