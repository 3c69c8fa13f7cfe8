// Measures how fast objects come back from a bucket: a ranged GET of a bounded sample, timed from the request.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3LocationConfig } from '../../config/types.js';
import type { ReadProbeResult } from '../../host/read-probe.js';
import { createS3Client } from './client.js';

/** `s3://bucket/key` → key. */
export function keyOfPath(path: string, bucket: string): string {
  const prefix = `s3://${bucket}/`;
  if (!path.startsWith(prefix)) throw new Error(`not an object of bucket ${bucket}: ${path}`);
  return path.slice(prefix.length);
}

/**
 * The time includes the first-byte latency, as a real restore would; a GET with Range reads only the
 * sample, so the probe costs `maxBytes` of egress, not the object's size.
 */
export async function probeS3ReadSpeed(
  location: S3LocationConfig,
  key: string,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<ReadProbeResult> {
  const client = createS3Client(location);
  try {
    const started = process.hrtime.bigint();
    const response = await client.send(
      new GetObjectCommand({ Bucket: location.bucket, Key: key, Range: `bytes=0-${Math.max(0, maxBytes - 1)}` }),
      signal ? { abortSignal: signal } : {},
    );
    let sampleBytes = 0;
    for await (const chunk of response.Body as AsyncIterable<Uint8Array>) sampleBytes += chunk.length;
    const seconds = Math.max(Number(process.hrtime.bigint() - started) / 1e9, 1e-6);
    return { bytesPerSec: sampleBytes / seconds, sampleBytes, direct: true };
  } finally {
    client.destroy();
  }
}
