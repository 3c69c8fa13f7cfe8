// Reads a request body under two limits checked while reading, never after buffering: the bytes on
// the wire, and (gzip) the bytes inflated, so a small gzip that inflates to gigabytes is stopped at
// the limit with at most one zlib chunk (16 KiB) beyond it in memory.
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { type ApiProblem, apiProblem } from './problems.js';

export interface BodyLimits {
  /** Bytes the request may carry (compressed or not). */
  wireBytes: number;
  /** Bytes of JSON once inflated (and of a plain body). */
  inflatedBytes: number;
}

export interface ReadBody {
  data: Buffer;
  wireBytes: number;
}

/** Where reading stopped when a limit was passed (413): what was read of each when it was refused. */
export interface TooLarge extends ApiProblem {
  limit: 'wire' | 'inflated';
  wireBytesRead: number;
  inflatedBytesRead: number;
}

export const CONTENT_CODINGS = ['identity', 'gzip'] as const;

export function contentCoding(header: string | undefined): (typeof CONTENT_CODINGS)[number] {
  const coding = (header ?? 'identity').trim().toLowerCase() || 'identity';
  if (coding === 'identity' || coding === 'gzip') return coding;
  throw apiProblem(415, {
    error: 'unsupported-encoding',
    message: `Content-Encoding ${JSON.stringify(coding.slice(0, 40))} is not supported: send identity or gzip`,
  });
}

function tooLarge(limit: 'wire' | 'inflated', limits: BodyLimits, wire: number, inflated: number): TooLarge {
  const bytes = limit === 'wire' ? limits.wireBytes : limits.inflatedBytes;
  const what = limit === 'wire' ? 'the request body' : 'the body once inflated';
  return Object.assign(
    apiProblem(
      413,
      { error: 'too-large', message: `${what} is larger than ${bytes} bytes`, limit, limitBytes: bytes },
      { connection: 'close' },
    ),
    { limit, wireBytesRead: wire, inflatedBytesRead: inflated },
  );
}

export function readLimitedBody(
  source: Readable,
  options: { encoding: string | undefined; contentLength: number | undefined; limits: BodyLimits },
): Promise<ReadBody> {
  const { limits } = options;
  const coding = contentCoding(options.encoding);
  if (options.contentLength !== undefined && options.contentLength > limits.wireBytes) {
    // Refused from the header alone: the body is never read.
    return Promise.reject(tooLarge('wire', limits, 0, 0));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let wire = 0;
    let inflated = 0;
    let settled = false;
    const gunzip = coding === 'gzip' ? createGunzip() : undefined;

    const stop = (error: Error) => {
      if (settled) return;
      settled = true;
      source.off('data', onWire);
      source.off('end', onWireEnd);
      gunzip?.destroy();
      chunks.length = 0;
      // The rest of the request is read and dropped (not buffered) so the answer can still be sent.
      source.resume();
      reject(error);
    };
    const keep = (chunk: Buffer) => {
      inflated += chunk.length;
      if (inflated > limits.inflatedBytes) return stop(tooLarge('inflated', limits, wire, inflated));
      chunks.push(chunk);
    };
    const finish = () => {
      if (settled) return;
      settled = true;
      resolve({ data: Buffer.concat(chunks), wireBytes: wire });
    };
    function onWire(chunk: Buffer) {
      wire += chunk.length;
      if (wire > limits.wireBytes) return stop(tooLarge('wire', limits, wire, inflated));
      if (!gunzip) return keep(chunk);
      if (!gunzip.write(chunk)) {
        source.pause();
        gunzip.once('drain', () => settled || source.resume());
      }
    }
    function onWireEnd() {
      if (gunzip) gunzip.end();
      else finish();
    }
    if (gunzip) {
      gunzip.on('data', keep);
      gunzip.once('end', finish);
      gunzip.once('error', (error) =>
        stop(apiProblem(400, { error: 'malformed', message: `the gzip body could not be inflated: ${error.message}` })),
      );
    }
    source.on('data', onWire);
    source.once('end', onWireEnd);
    source.once('error', (error) => stop(error));
  });
}
