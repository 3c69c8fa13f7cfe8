// Streaming sha256 of one file for `media write|verify` (never loads the file into memory).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

export interface FileDigest {
  sha256: string;
  /** Bytes actually read: what the hash covers, even if the file grew meanwhile. */
  bytes: number;
}

export async function hashFile(path: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(createReadStream(path), async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      hash.update(chunk);
    }
  });
  return { sha256: hash.digest('hex'), bytes };
}
