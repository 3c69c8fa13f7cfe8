// --deep: downloads an object and hashes it as it streams, only while it is still the object the listing showed.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { classifyS3Error, s3ErrorName } from './errors.js';
import type { ListedObject } from './list.js';

/**
 * The bytes read are not the listed object: replaced (or cut short) between listing and reading. Its
 * hash would be filed under the listed size and time, so it is thrown away.
 */
export class ObjectChangedError extends Error {
  readonly code = 'B321_CHANGED_WHILE_HASHING';
  constructor(message: string) {
    super(message);
    this.name = 'ObjectChangedError';
  }
}

/** An ETag as a value: quotes and the weak marker are framing, not identity. */
const etagValue = (etag: string): string => etag.replace(/^W\//, '').replace(/"/g, '');

/**
 * Hashes the object as listed. `If-Match` with the listed ETag makes S3 refuse (412) an object replaced
 * since; a store that ignores the header (s3rver does) is caught by comparing the answer's ETag and
 * length, and the bytes read, with the listing. Memory holds one chunk, not the object.
 */
export async function hashListedObject(
  client: S3Client,
  bucket: string,
  object: ListedObject,
  options: { signal?: AbortSignal; onBytes?: (bytes: number) => void } = {},
): Promise<{ sha256: string; bytes: number }> {
  let answer: GetObjectCommandOutput;
  try {
    answer = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: object.key, ...(object.etag ? { IfMatch: object.etag } : {}) }),
      options.signal ? { abortSignal: options.signal } : {},
    );
  } catch (error) {
    if (s3ErrorName(error) === 'PreconditionFailed' || statusOf(error) === 412) {
      throw new ObjectChangedError(`its ETag is no longer ${object.etag} (the store refused If-Match)`);
    }
    throw error;
  }
  const body = answer.Body as Readable | undefined;
  const mismatch = headerMismatch(object, answer.ETag, answer.ContentLength);
  if (mismatch) {
    body?.destroy();
    throw new ObjectChangedError(mismatch);
  }
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of body ?? []) {
    const buffer = chunk as Uint8Array;
    hash.update(buffer);
    bytes += buffer.length;
    options.onBytes?.(buffer.length);
  }
  if (bytes !== object.bytes) throw new ObjectChangedError(`listed with ${object.bytes} bytes, ${bytes} read`);
  return { sha256: hash.digest('hex'), bytes };
}

function headerMismatch(
  object: ListedObject,
  etag: string | undefined,
  length: number | undefined,
): string | undefined {
  if (object.etag && etag && etagValue(etag) !== etagValue(object.etag)) {
    return `listed with ETag ${object.etag}, read with ${etag}`;
  }
  if (length !== undefined && length !== object.bytes) return `listed with ${object.bytes} bytes, read with ${length}`;
  return undefined;
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

export type DeepHash = { sha256: string } | { hashError: string; message: string };

/** --deep: the object's sha256 as downloaded now, or why it was not hashed. */
export async function deepHash(
  client: S3Client,
  bucket: string,
  object: ListedObject,
  signal: AbortSignal | undefined,
  onBytes: (bytes: number) => void,
): Promise<DeepHash> {
  try {
    const { sha256 } = await hashListedObject(client, bucket, object, { ...(signal ? { signal } : {}), onBytes });
    return { sha256 };
  } catch (error) {
    if (error instanceof ObjectChangedError) return { hashError: 'changed-while-hashing', message: error.message };
    const classified = classifyS3Error(error);
    // An Intelligent-Tiering object in an archive access tier is only known to be archived when GET refuses it.
    const hashError =
      s3ErrorName(error) === 'InvalidObjectState'
        ? 'archived-not-restored'
        : classified.code === 'B321_S3_MISSING'
          ? 'vanished'
          : 'unreadable';
    return { hashError, message: classified.message };
  }
}
