// MD5s of content we hashed, remembered by its sha256: an object's ETag is compared with the MD5 of a
// local copy, and content with the same sha256 has the same MD5, so a copy is read for it once, not
// on every run (trustEtagMd5).
import { join } from 'node:path';
import { openRemembered, type Remembered } from '../state/remembered.js';

export const MD5_STORE_NAME = 'etag-md5.json';

const MD5 = /^[0-9a-f]{32}$/;

/** sha256 → MD5 of the same bytes. */
export type Md5Store = Remembered<string>;

export function openMd5Store(stateDir: string, options: { now: number; readOnly: boolean }): Promise<Md5Store> {
  return openRemembered(join(stateDir, MD5_STORE_NAME), {
    ...options,
    read: (stored) => (typeof stored === 'string' && MD5.test(stored) ? stored : undefined),
  });
}
