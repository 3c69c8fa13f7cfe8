// Checksum evidence for objects: the object's own SHA-256, sidecar/manifest objects, ETag MD5.
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, type HeadObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import type { ListedObject } from './list.js';

/** A sidecar or manifest larger than this is not a checksum file: never download it whole. */
export const CHECKSUM_FILE_MAX_BYTES = 1024 * 1024;

/**
 * S3's ChecksumSHA256 is a content sha256 only for a FULL_OBJECT checksum. A COMPOSITE one (multipart
 * uploads, shown as "<base64>-<parts>") is the sha256 of the parts' checksums concatenated: it changes
 * with the part size, so it can never equal a sha256 of the bytes computed anywhere else.
 */
export function fullObjectSha256Hex(
  checksum: string | undefined,
  checksumType: string | undefined,
): string | undefined {
  if (!checksum || checksumType === 'COMPOSITE' || checksum.includes('-')) return undefined;
  const bytes = Buffer.from(checksum, 'base64');
  return bytes.length === 32 ? bytes.toString('hex') : undefined;
}

/** True when the listing says the object carries a SHA-256 worth a HeadObject to read. */
export function listingHasSha256(object: ListedObject): boolean {
  return object.checksumAlgorithms.includes('SHA256') && object.checksumType !== 'COMPOSITE';
}

/**
 * The MD5 hex in a single-part ETag. A multipart ETag ("<hex>-<parts>") is an MD5 of MD5s, and SSE-KMS or
 * SSE-C objects have ETags that are not the MD5 at all: hence only with the user's opt-in (trustEtagMd5).
 */
export function etagMd5(etag: string | undefined): string | undefined {
  const value = etag?.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
  return value && /^[0-9a-f]{32}$/.test(value) ? value : undefined;
}

export function headObject(
  client: S3Client,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<HeadObjectCommandOutput> {
  return client.send(
    new HeadObjectCommand({
      Bucket: bucket,
      Key: key,
      ChecksumMode: 'ENABLED',
    }),
    signal ? { abortSignal: signal } : {},
  );
}

/** An object named like a checksum file that is too big to be one: no evidence, and not a read failure. */
export class ChecksumFileTooLargeError extends Error {
  readonly code = 'B321_BAD_CHECKSUM_FILE';
  constructor(bucket: string, key: string, maxBytes: number) {
    super(`s3://${bucket}/${key} is larger than ${maxBytes} bytes: not a checksum file`);
    this.name = 'ChecksumFileTooLargeError';
  }
}

/** Reads a small object (a sidecar or manifest) as text, refusing anything over `maxBytes`. */
export async function getSmallText(
  client: S3Client,
  bucket: string,
  key: string,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<string> {
  const answer = await client.send(
    new GetObjectCommand({ Bucket: bucket, Key: key }),
    signal ? { abortSignal: signal } : {},
  );
  const body = answer.Body as Readable | undefined;
  if (!body) return '';
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    total += buffer.length;
    if (total > maxBytes) {
      body.destroy();
      throw new ChecksumFileTooLargeError(bucket, key, maxBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
