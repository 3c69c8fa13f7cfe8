// What --deep read in a bucket, remembered in the state dir by the object's identity as listed (key,
// ETag, size, LastModified): a later quick run still knows the object was read, when, and what it
// hashed to, until the object changes.
import { join } from 'node:path';
import { openRemembered } from '../../state/remembered.js';
import type { ListedObject } from './list.js';

const SHA256 = /^[0-9a-f]{64}$/;

export interface DeepRead {
  sha256: string;
  /** When it was downloaded and hashed (epoch ms). */
  hashedAt: number;
}

export interface DeepResults {
  get(object: ListedObject): DeepRead | undefined;
  set(object: ListedObject, read: DeepRead): void;
  save(): Promise<void>;
}

/** The file of one location's remembered reads: `stateDir/s3-deep-<location id>.json`. */
export const deepResultsFile = (stateDir: string, locationId: string): string =>
  join(stateDir, `s3-deep-${locationId}.json`);

function readDeepRead(stored: unknown): DeepRead | undefined {
  const { sha256, hashedAt } = (stored ?? {}) as Partial<DeepRead>;
  return typeof sha256 === 'string' && SHA256.test(sha256) && Number.isFinite(hashedAt)
    ? { sha256, hashedAt: hashedAt as number }
    : undefined;
}

export async function openDeepResults(
  stateDir: string,
  locationId: string,
  bucket: string,
  options: { now: number; readOnly: boolean },
): Promise<DeepResults> {
  const remembered = await openRemembered(deepResultsFile(stateDir, locationId), { ...options, read: readDeepRead });
  const identity = (object: ListedObject): string =>
    [bucket, object.key, object.etag ?? '', object.bytes, object.lastModified].join('\u0000');
  return {
    get: (object) => remembered.get(identity(object)),
    set: (object, read) => remembered.set(identity(object), read),
    save: () => remembered.save(),
  };
}
