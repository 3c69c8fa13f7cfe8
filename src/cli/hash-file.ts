// Streaming sha256 of one file for `media write|verify` (never loads the file into memory).
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';

export interface FileDigest {
  sha256: string;
  /** Bytes actually read: what the hash covers, even if the file grew meanwhile. */
  bytes: number;
}

export interface HashedFile {
  digest: FileDigest;
  /** The file's mtime, read from the same open file as the bytes: when its data was made. */
  modifiedAt: Date;
}

export async function hashFile(path: string): Promise<HashedFile> {
  const handle = await open(path, 'r');
  try {
    const { mtime } = await handle.stat();
    const hash = createHash('sha256');
    let bytes = 0;
    await pipeline(handle.createReadStream({ autoClose: false }), async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) {
        bytes += chunk.length;
        hash.update(chunk);
      }
    });
    return { digest: { sha256: hash.digest('hex'), bytes }, modifiedAt: mtime };
  } finally {
    await handle.close();
  }
}
