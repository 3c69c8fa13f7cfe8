// Gathers the evidence for one listed object: checksum (strongest first), lock, restore state.
import type { S3LocationConfig } from '../../config/types.js';
import type { Immutability, RecordedChecksum } from '../../model.js';
import { ARCHIVE_CLASSES, parseRestoreHeader, type RestoreState, restorePathFor } from './archive.js';
import { etagMd5, fullObjectSha256Hex, headObject, listingHasSha256 } from './checksum.js';
import { classifyS3Error } from './errors.js';
import type { ListedObject } from './list.js';
import { readObjectLock } from './lock.js';
import { manifestChecksum, s3url, sidecarChecksum } from './recorded.js';
import type { EvidenceContext, ObjectEvidence, ObjectPart } from './types.js';

export async function gatherEvidence(object: ListedObject, ctx: EvidenceContext): Promise<ObjectEvidence> {
  const { client, location, signal } = ctx;
  const bucket = location.bucket;
  const problems: ObjectEvidence['problems'] = [];
  const note = (what: ObjectPart, error: unknown): void => {
    const classified = classifyS3Error(error);
    problems.push({ code: classified.code, what, message: classified.message });
  };
  let storageClass = object.storageClass;
  let archiveStatus: string | undefined;
  let restore: RestoreState | undefined = restoreFromListing(object);
  let recorded: RecordedChecksum | undefined;

  // HEAD only when it can tell us something the listing could not: a SHA-256 value, or an archived
  // object's restore state when the listing did not carry RestoreStatus.
  const archived = ARCHIVE_CLASSES.has(storageClass);
  if (listingHasSha256(object) || (archived && !restore)) {
    try {
      const head = await headObject(client, bucket, object.key, signal);
      storageClass = head.StorageClass ?? storageClass;
      archiveStatus = head.ArchiveStatus;
      restore = parseRestoreHeader(head.Restore) ?? restore;
      const hex = fullObjectSha256Hex(head.ChecksumSHA256, head.ChecksumType);
      if (hex)
        recorded = {
          value: hex,
          source: 's3-checksum',
          ref: `${s3url(bucket, object.key)} (ChecksumSHA256)`,
        };
    } catch (error) {
      const classified = classifyS3Error(error);
      if (classified.code === 'B321_S3_MISSING') return vanishedEvidence(object, location, ctx.now);
      note('s3.objects-head', error);
    }
  }
  recorded ??= await sidecarChecksum(object, ctx, note);
  recorded ??= await manifestChecksum(object, ctx, note);
  if (!recorded && location.trustEtagMd5) {
    const md5 = etagMd5(object.etag);
    if (md5)
      recorded = {
        value: md5,
        source: 'etag-md5',
        ref: `${s3url(bucket, object.key)} (ETag)`,
      };
  }

  let immutable: Immutability | undefined;
  if (ctx.objectLock) {
    try {
      immutable = await readObjectLock(client, bucket, object.key, signal);
    } catch (error) {
      note('s3.objects-lock', error);
    }
  }
  // Intelligent-Tiering's opt-in archive tiers behave like GLACIER / DEEP_ARCHIVE for a restore.
  const restoreClass = archiveStatus ?? storageClass;
  const restorePath = restorePathFor({
    storageClass: restoreClass,
    bytes: object.bytes,
    tier: location.retrievalTier,
    ...(location.retrievalMs !== undefined ? { configuredRetrievalMs: location.retrievalMs } : {}),
    ...(location.throughputBytesPerSec !== undefined ? { throughputBytesPerSec: location.throughputBytesPerSec } : {}),
    ...(restore ? { restore } : {}),
    now: ctx.now,
  });
  const evidence: ObjectEvidence = {
    storageClass,
    restore: restorePath,
    readableNow: restorePath.retrievalMs === 0 || !isArchive(restoreClass),
    problems,
  };
  if (recorded) evidence.recorded = recorded;
  if (immutable) evidence.immutable = immutable;
  return evidence;
}

function isArchive(storageClass: string): boolean {
  return (
    ARCHIVE_CLASSES.has(storageClass) || storageClass === 'ARCHIVE_ACCESS' || storageClass === 'DEEP_ARCHIVE_ACCESS'
  );
}

function restoreFromListing(object: ListedObject): RestoreState | undefined {
  if (object.restoreInProgress) return { ongoing: true };
  if (object.restoreExpiry) return { restoredUntil: object.restoreExpiry };
  return undefined;
}

function vanishedEvidence(object: ListedObject, location: S3LocationConfig, now: Date): ObjectEvidence {
  return {
    storageClass: object.storageClass,
    restore: restorePathFor({
      storageClass: object.storageClass,
      bytes: object.bytes,
      tier: location.retrievalTier,
      now,
    }),
    readableNow: false,
    problems: [],
    vanished: true,
  };
}
