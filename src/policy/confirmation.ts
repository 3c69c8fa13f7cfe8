// How a copy's content was last confirmed, and whether that is recent enough: what the integrity
// check and the reports say of each copy.
import type { AssessedCopy, Copy, EffectivePolicy } from '../model.js';

/**
 * read: its bytes were read and hashed (by this agent, or by an operator verifying offline media);
 * store: the object store computed the sha256 of the whole object itself (FULL_OBJECT) or its single-part
 * MD5 matched a copy we read; declared: only a record of what it should hold (a sidecar, a manifest, a
 * media-log `written` line), no proof the bytes are still there; none: nothing at all.
 */
export type ConfirmationKind = 'read' | 'store' | 'declared' | 'none';

export interface Confirmation {
  kind: ConfirmationKind;
  /** What confirmed it: hashed, media-verified, s3-checksum, etag-md5, sidecar, manifest, media-log. */
  by: string;
  /** When it was read (read only). */
  at?: string;
}

export function confirmationOf(copy: Copy): Confirmation {
  if (copy.sha256 && copy.hashedAt) return { kind: 'read', by: 'hashed', at: copy.hashedAt };
  if (copy.verifiedAt) return { kind: 'read', by: 'media-verified', at: copy.verifiedAt };
  const source = copy.recorded?.source;
  if (source === 's3-checksum') return { kind: 'store', by: source };
  // An ETag equal to the MD5 of a copy we read (verify/etag-md5.ts): the store's digest of the same bytes.
  if (source === 'etag-md5' && copy.sha256) return { kind: 'store', by: source };
  if (source) return { kind: 'declared', by: source };
  return { kind: 'none', by: 'none' };
}

/** Offline media are verified by hand, so less often: their own limit. */
export function verifyMaxAgeFor(copy: Copy, policy: EffectivePolicy): number {
  return copy.locationType === 'offline-log' ? policy.offlineVerifyMaxAgeMs : policy.verifyMaxAgeMs;
}

/**
 * Why a copy's confirmation is not recent enough to pass, or undefined when it is: declared only,
 * read longer ago than its limit, or "read" at a time ahead of the clock (a cache or log from a
 * machine whose clock runs ahead proves no read).
 */
export function staleConfirmation(
  copy: AssessedCopy,
  policy: EffectivePolicy,
  nowMs: number,
): 'declared-only' | 'read-too-long-ago' | 'read-in-future' | undefined {
  const confirmation = confirmationOf(copy);
  if (confirmation.kind === 'store') return undefined;
  if (confirmation.kind !== 'read' || confirmation.at === undefined) return 'declared-only';
  const at = Date.parse(confirmation.at);
  if (at > nowMs + policy.clockSkewMs) return 'read-in-future';
  return nowMs - at > verifyMaxAgeFor(copy, policy) ? 'read-too-long-ago' : undefined;
}
