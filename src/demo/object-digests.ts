// An object's MD5 (its ETag) and SHA-256 (its FULL_OBJECT checksum), computed from the file's bytes
// once and kept while the file stays the same, as a store computes them when an object is written.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FolderObject } from './bucket-folder.js';

export interface ObjectDigests {
  /** Hex, the single-part ETag S3 gives an object uploaded in one part without SSE-KMS. */
  md5: string;
  /** Base64, as x-amz-checksum-sha256 carries it. */
  sha256: string;
}

interface Known extends ObjectDigests {
  ino: number;
  size: number;
  mtimeMs: number;
}

export function createDigestCache(): (object: FolderObject) => Promise<ObjectDigests> {
  const known = new Map<string, Known>();
  return async (object) => {
    const seen = known.get(object.path);
    // Another inode, size or mtime is another object written under the key: its digests are new.
    if (seen && seen.ino === object.ino && seen.size === object.size && seen.mtimeMs === object.mtimeMs) return seen;
    const md5 = createHash('md5');
    const sha256 = createHash('sha256');
    for await (const chunk of createReadStream(object.path)) {
      md5.update(chunk as Buffer);
      sha256.update(chunk as Buffer);
    }
    const digests: Known = {
      md5: md5.digest('hex'),
      sha256: sha256.digest('base64'),
      ino: object.ino,
      size: object.size,
      mtimeMs: object.mtimeMs,
    };
    known.set(object.path, digests);
    return digests;
  };
}
