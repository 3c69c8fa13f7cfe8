// Storage class → how long before an object's first byte can be read (archive tiers, restored copies).
import type { RetrievalTier } from '../../config/types.js';
import type { RestorePath } from '../../model.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Classes whose objects are readable with a plain GET (no restore request first). */
export const INSTANT_CLASSES = new Set([
  'STANDARD',
  'STANDARD_IA',
  'ONEZONE_IA',
  'GLACIER_IR',
  'INTELLIGENT_TIERING',
  'REDUCED_REDUNDANCY',
  'EXPRESS_ONEZONE',
  'OUTPOSTS',
  'SNOW',
]);

/** Classes (or Intelligent-Tiering archive tiers) that need RestoreObject before a GET works. */
export const ARCHIVE_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/**
 * Expedited retrieval is offered only for objects below 250 MB. AWS does not say MB or MiB here;
 * 250,000,000 bytes is the smaller reading, so we never promise expedited for an object AWS may refuse.
 */
export const EXPEDITED_MAX_BYTES = 250_000_000;

interface TierTime {
  /** The upper bound of AWS's documented range: restore-time must not be optimistic. */
  ms: number;
  range: string;
}

// Source: Amazon S3 User Guide, "Understanding archive retrieval options"
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects-retrieval-options.html).
export const RESTORE_TIMES: Record<'GLACIER' | 'DEEP_ARCHIVE', Partial<Record<RetrievalTier, TierTime>>> = {
  GLACIER: {
    expedited: { ms: 5 * MINUTE, range: '1–5 min' },
    standard: { ms: 5 * HOUR, range: '3–5 h' },
    bulk: { ms: 12 * HOUR, range: '5–12 h' },
  },
  // Deep Archive has no expedited tier.
  DEEP_ARCHIVE: {
    standard: { ms: 12 * HOUR, range: 'within 12 h' },
    bulk: { ms: 48 * HOUR, range: 'within 48 h' },
  },
};

export interface RestoreState {
  /** A restore finished and the temporary copy is readable until this time (ISO 8601). */
  restoredUntil?: string;
  /** A restore was requested and is still running. */
  ongoing?: boolean;
}

/** Parses the `x-amz-restore` header: `ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"`. */
export function parseRestoreHeader(header: string | undefined): RestoreState | undefined {
  if (!header) return undefined;
  const ongoing = /ongoing-request="(true|false)"/i.exec(header)?.[1]?.toLowerCase();
  const expiry = /expiry-date="([^"]+)"/i.exec(header)?.[1];
  const state: RestoreState = {};
  if (ongoing === 'true') state.ongoing = true;
  if (ongoing === 'false' && expiry) {
    const date = new Date(expiry);
    if (!Number.isNaN(date.getTime())) state.restoredUntil = date.toISOString();
  }
  return state.ongoing || state.restoredUntil ? state : undefined;
}

export interface RestoreInput {
  storageClass: string;
  bytes: number;
  tier: RetrievalTier;
  /** location.retrievalMs: an operator's figure for instantly readable classes (e.g. a slow gateway). */
  configuredRetrievalMs?: number;
  throughputBytesPerSec?: number;
  restore?: RestoreState;
  /** The run's clock reading: a restored copy past its expiry is archived again. */
  now: Date;
}

/** The archive class that governs a restore, or undefined when the object is readable at once. */
function archiveClassOf(storageClass: string): 'GLACIER' | 'DEEP_ARCHIVE' | undefined {
  if (storageClass === 'GLACIER' || storageClass === 'ARCHIVE_ACCESS') return 'GLACIER';
  if (storageClass === 'DEEP_ARCHIVE' || storageClass === 'DEEP_ARCHIVE_ACCESS') return 'DEEP_ARCHIVE';
  return undefined;
}

export function restorePathFor(input: RestoreInput): RestorePath {
  const throughput =
    input.throughputBytesPerSec !== undefined
      ? {
          throughputBytesPerSec: input.throughputBytesPerSec,
          throughputSource: 'configured' as const,
        }
      : {};
  const archive = archiveClassOf(input.storageClass);
  if (!archive) {
    const instant = INSTANT_CLASSES.has(input.storageClass);
    return {
      retrievalMs: input.configuredRetrievalMs ?? 0,
      retrievalNote: instant
        ? `S3 ${input.storageClass}: readable at once`
        : `S3 storage class ${input.storageClass} is not known to backup321: assumed readable at once`,
      ...throughput,
    };
  }
  const { time, note } = tierTime(archive, input.tier, input.bytes);
  const restoredUntil = input.restore?.restoredUntil;
  if (restoredUntil && new Date(restoredUntil).getTime() > input.now.getTime()) {
    return {
      retrievalMs: 0,
      retrievalNote: `S3 ${archive} object restored, readable until ${restoredUntil}; after that ${note}`,
      ...throughput,
    };
  }
  const ongoing = input.restore?.ongoing ? ' (a restore is already in progress)' : '';
  return {
    retrievalMs: time.ms,
    retrievalNote: `${note}${ongoing}`,
    ...throughput,
  };
}

function tierTime(
  archive: 'GLACIER' | 'DEEP_ARCHIVE',
  wanted: RetrievalTier,
  bytes: number,
): { time: TierTime; note: string } {
  const table = RESTORE_TIMES[archive];
  let tier = wanted;
  let fallback = '';
  if (tier === 'expedited' && !table.expedited) {
    tier = 'standard';
    fallback = ` (${archive} has no expedited tier: standard used)`;
  } else if (tier === 'expedited' && bytes >= EXPEDITED_MAX_BYTES) {
    tier = 'standard';
    fallback = ' (expedited only for objects under 250 MB: standard used)';
  }
  // Every class has a standard tier, so the lookup cannot miss once tier is settled.
  const time = table[tier] ?? (table.standard as TierTime);
  return { time, note: `S3 ${archive} ${tier} tier: ${time.range}${fallback}` };
}
