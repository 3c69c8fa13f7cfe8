// Decides, copy by copy, whether a copy is usable: fresh enough for its class, intact, readable, not the primary.
import type { AssessedCopy, Copy, CopyAssessment, EffectivePolicy } from '../model.js';
import { copyTimes } from './copy-times.js';
import { assessContent } from './restore-points.js';

/** Offline media are rotated weekly, not daily: they are held to offlineMaxAge, the rest to the RPO. */
export function maxAgeFor(copy: Copy, policy: EffectivePolicy): number {
  return copy.locationType === 'offline-log' ? policy.offlineMaxAgeMs : policy.rpoMs;
}

/** Notes that mean the content is damaged: such a copy is no copy, and integrity fails for it. */
export const DAMAGED: ReadonlySet<string> = new Set(['corrupt', 'outvoted', 'conflict', 'content-changed']);

/** A copy dated more than the clock skew ahead of the run: its age is unknown, so it is never fresh. */
export const FUTURE_TIMESTAMP = 'future-timestamp';

export function isFutureDated(copy: AssessedCopy): boolean {
  return copy.assessment.notes.includes(FUTURE_TIMESTAMP);
}

export function isDamaged(copy: AssessedCopy): boolean {
  // A loop, not notes.some(closure): called for every copy, and a clean copy has no notes at all.
  const notes = copy.assessment.notes;
  for (let i = 0; i < notes.length; i++) if (DAMAGED.has(notes[i] as string)) return true;
  return false;
}

/**
 * How strong an Object Lock is now: COMPLIANCE cannot be shortened by anyone, GOVERNANCE can be bypassed
 * with s3:BypassGovernanceRetention; a lock that ends before the next copy is due protects little.
 */
export function lockNote(copy: Copy, policy: EffectivePolicy, now: Date): string {
  const left = Date.parse(copy.immutable?.retainUntil ?? '') - now.getTime();
  if (!(left > 0)) return copy.immutable?.legalHold ? 'legal-hold-only' : 'lock-expired';
  if (left < policy.immutableHorizonMs) return 'lock-ending';
  return copy.immutable?.mode === 'COMPLIANCE' ? 'lock-compliance' : 'lock-governance';
}

export function assessCopies(
  copies: Copy[],
  policy: EffectivePolicy,
  now: Date,
  /** Add the assessment to the given copies instead of to clones (see DatasetInput.assessInPlace). */
  inPlace = false,
): {
  copies: AssessedCopy[];
  /** Locations of copies whose bytes could not be read back. */
  unreadableAt: Set<string>;
} {
  const verdicts = assessContent(copies);
  const nowMs = now.getTime();
  const times = copyTimes(copies, nowMs, policy.clockSkewMs);
  const unreadableAt = new Set<string>();
  // A clean copy (a verified backup, fresh, unlocked: most copies) is assessed as usable with no notes: copies
  // next to each other in the list that also share their age (files one job wrote in the same
  // millisecond, as modifiedAt's text is shared) share that assessment object too, as they share the
  // empty list of notes. Assessments are never changed once made.
  let cleanAssessment: CopyAssessment = { usable: true, notes: NO_NOTES, ageMs: Number.NaN };
  let lastModifiedAt = '';
  let lastModifiedMs = Number.NaN;
  const assessed = copies.map((copy, index): AssessedCopy => {
    const dataMs = times.dataMs[index] as number;
    const age = nowMs - dataMs;
    const future = times.future[index] === 1;
    if (copy.modifiedAt !== lastModifiedAt) {
      lastModifiedAt = copy.modifiedAt;
      lastModifiedMs = Date.parse(lastModifiedAt);
    }
    // Older data than the copy's own time says: the report shows both.
    const olderData = dataMs < lastModifiedMs;
    const verdict = verdicts[index] ?? 'unverified';
    const stale = age > maxAgeFor(copy, policy);
    if (verdict === 'verified' && copy.role !== 'primary' && !copy.immutable && !stale && !future && !olderData) {
      if (cleanAssessment.ageMs !== age) cleanAssessment = { usable: true, notes: NO_NOTES, ageMs: age };
      return withAssessment(copy, cleanAssessment, inPlace);
    }
    const notes: string[] = [];
    if (copy.role === 'primary' && !policy.countPrimary) notes.push('primary');
    if (future) notes.push(FUTURE_TIMESTAMP);
    if (stale) notes.push('stale');
    if (verdict !== 'verified' && verdict !== 'unverified') {
      notes.push(verdict);
      if (verdict === 'unreadable') unreadableAt.add(copy.location);
    }
    const usable = notes.length === 0;
    if (verdict === 'unverified') notes.push(copy.hashError ? 'hash-failed' : 'unverified');
    if (copy.immutable) notes.push(lockNote(copy, policy, now));
    const assessment: CopyAssessment = { usable, notes, ageMs: age };
    if (olderData) assessment.dataTime = new Date(dataMs).toISOString();
    return withAssessment(copy, assessment, inPlace);
  });
  return { copies: assessed, unreadableAt };
}

const NO_NOTES: string[] = Object.freeze([]) as unknown as string[];

function withAssessment(copy: Copy, assessment: AssessedCopy['assessment'], inPlace: boolean): AssessedCopy {
  // Not `{ ...copy, assessment }`: every assessed copy must share one object shape (docs/benchmarks-history.md).
  if (!inPlace) return Object.assign({}, copy, { assessment });
  const assessed = copy as AssessedCopy;
  assessed.assessment = assessment;
  return assessed;
}
