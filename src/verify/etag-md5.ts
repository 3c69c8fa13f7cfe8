// With trustEtagMd5: an object's single-part ETag (its MD5) is compared with the MD5 of a local copy of the same backup.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { LocationConfig } from '../config/types.js';
import type { Copy } from '../model.js';
import { restorePointKey } from '../policy/restore-points.js';
import type { Md5Store } from './md5-store.js';

export async function md5OfFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('md5');
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024, ...(signal ? { signal } : {}) });
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * An ETag is an MD5, not a sha256, so it proves nothing on its own. When it equals the MD5 of a local
 * copy whose sha256 we computed, the object holds the same bytes and takes that sha256; when it
 * differs, the object is not the backup it is named after (`hashError: 'content-mismatch'`). The local
 * file is read once more the first time (then its MD5 is remembered by sha256), which is why this is opt-in.
 */
export interface EtagMd5Options {
  signal?: AbortSignal | undefined;
  /** How a local file's MD5 is read (tests count the reads). */
  md5?: (path: string, signal?: AbortSignal) => Promise<string>;
  /** MD5s remembered by content from earlier runs; read and added to. */
  known?: Md5Store;
}

export async function confirmEtagMd5(
  copyLists: Copy[][],
  locations: LocationConfig[],
  { signal, md5 = md5OfFile, known }: EtagMd5Options = {},
): Promise<void> {
  const trusted = new Set(locations.filter((l) => l.type === 's3' && l.trustEtagMd5).map((l) => l.id));
  if (trusted.size === 0) return;
  // Lists per source, not one flat list: a run with no trusted bucket (the usual case) builds nothing.
  const copies = copyLists.flat();
  const localByKey = new Map<string, Copy>();
  for (const copy of copies) {
    if (copy.locationType === 'disk' && copy.kind === 'file' && copy.sha256) {
      localByKey.set(`${copy.dataset}\u0000${restorePointKey(copy)}`, copy);
    }
  }
  const digests = new Map<string, Promise<string>>();
  for (const copy of copies) {
    if (!trusted.has(copy.location) || copy.sha256 || copy.recorded?.source !== 'etag-md5') continue;
    const local = localByKey.get(`${copy.dataset}\u0000${restorePointKey(copy)}`);
    if (!local?.sha256) continue;
    let digest = digests.get(local.path);
    if (!digest) {
      // The local copy's sha256 is this run's (hashed or from the checksum cache): its MD5 is the one
      // remembered for that content, else read once more and remembered.
      const remembered = known?.get(local.sha256);
      const sha256 = local.sha256;
      digest = remembered
        ? Promise.resolve(remembered)
        : md5(local.path, signal).then((value) => {
            known?.set(sha256, value);
            return value;
          });
      digests.set(local.path, digest);
    }
    try {
      if ((await digest) === copy.recorded.value) {
        copy.sha256 = local.sha256;
        copy.recorded = { ...copy.recorded, ref: `${copy.recorded.ref} = MD5 of ${local.path}` };
      } else {
        copy.hashError = 'content-mismatch';
        copy.recorded = { ...copy.recorded, ref: `${copy.recorded.ref} ≠ MD5 of ${local.path}` };
      }
    } catch {
      // The local file changed or went away since it was hashed: the object stays unverified.
      if (signal?.aborted) return;
    }
  }
}
