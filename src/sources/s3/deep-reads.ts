// What --deep downloads of a bucket and what it makes of each download: shared by a --deep run, which
// reads every object it may, and verify --deep --budget, which reads the ones the run chose (rereads.ts).
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3LocationConfig } from '../../config/types.js';
import { sourceIssue } from '../../issues.js';
import type { Copy, SourceIssue } from '../../model.js';
import type { SourceContext } from '../source.js';
import { type DeepHash, deepHash } from './deep-hash.js';
import type { DeepResults } from './deep-results.js';
import { type ListedObject, runPool } from './list.js';
import type { ObjectEvidence } from './types.js';

/** --deep downloads in flight at once: each holds a socket and a hash, not the object. */
const DEEP_CONCURRENCY = 2;

/** The objects --deep may download (once each), and how many it may not: too big, or archived. */
export function deepReadable(
  objects: readonly ListedObject[],
  evidence: Map<string, ObjectEvidence>,
  location: S3LocationConfig,
): { readable: ListedObject[]; overMax: number; archived: number } {
  let overMax = 0;
  let archived = 0;
  const readable = [...new Map(objects.map((object) => [object.key, object])).values()].filter((object) => {
    const item = evidence.get(object.key);
    if (!item || item.vanished) return false;
    if (object.bytes > location.deepMaxBytes) overMax++;
    else if (!item.readableNow) archived++;
    else return true;
    return false;
  });
  return { readable, overMax, archived };
}

/** Downloads and hashes these objects, two at a time; an object replaced meanwhile is a warning. */
export async function hashObjects(
  client: S3Client,
  location: S3LocationConfig,
  objects: readonly ListedObject[],
  ctx: SourceContext,
  issues: SourceIssue[],
  phase: string,
): Promise<Map<string, DeepHash>> {
  const hashes = new Map<string, DeepHash>();
  const total = objects.reduce((sum, object) => sum + object.bytes, 0);
  let done = 0;
  await runPool(objects, DEEP_CONCURRENCY, async (object) => {
    const onBytes = (bytes: number): void => {
      done += bytes;
      ctx.progress?.({ location: location.id, phase, done, total });
    };
    const hash = await deepHash(client, location.bucket, object, ctx.signal, onBytes);
    hashes.set(object.key, hash);
    if ('hashError' in hash && hash.hashError === 'changed-while-hashing') {
      const path = `s3://${location.bucket}/${object.key}`;
      const params = { path, detail: hash.message };
      issues.push(sourceIssue('B321_CHANGED_WHILE_HASHING', params, { severity: 'warning', path }));
    }
  });
  return hashes;
}

/** A download's outcome on the object's copy, remembered for later runs when it hashed. */
export function applyDeepHash(
  copy: Copy,
  object: ListedObject,
  hash: DeepHash,
  remembered: DeepResults,
  now: Date,
): void {
  if ('sha256' in hash) {
    copy.sha256 = hash.sha256;
    copy.hashedAt = now.toISOString();
    remembered.set(object, { sha256: hash.sha256, hashedAt: now.getTime() });
  } else copy.hashError = hash.hashError;
}
