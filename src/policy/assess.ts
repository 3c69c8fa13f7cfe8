// Decides, copy by copy, whether a copy is usable: fresh enough for its class, intact, readable, not the primary.
import type { AssessedCopy, Copy, EffectivePolicy } from '../model.js';
import { assessContent, type ContentAssessment } from './restore-points.js';
import { ageMs } from './types.js';

/** Offline media are rotated weekly, not daily: they are held to offlineMaxAge, the rest to the RPO. */
export function maxAgeFor(copy: Copy, policy: EffectivePolicy): number {
  return copy.locationType === 'offline-log' ? policy.offlineMaxAgeMs : policy.rpoMs;
}

/** Notes that mean the content is damaged: such a copy is no copy, and integrity fails for it. */
export const DAMAGED: ReadonlySet<string> = new Set(['corrupt', 'outvoted', 'conflict']);

export function isDamaged(copy: AssessedCopy): boolean {
  return copy.assessment.notes.some((note) => DAMAGED.has(note));
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
  content: Map<Copy, ContentAssessment>;
} {
  const content = assessContent(copies);
  const assessed = copies.map((copy): AssessedCopy => {
    const notes: string[] = [];
    const age = ageMs(copy, now);
    if (copy.role === 'primary' && !policy.countPrimary) notes.push('primary');
    if (age > maxAgeFor(copy, policy)) notes.push('stale');
    const verdict = content.get(copy)?.verdict ?? 'unverified';
    if (verdict !== 'verified' && verdict !== 'unverified') {
      notes.push(verdict);
    }
    const usable = notes.length === 0;
    if (verdict === 'unverified') notes.push(copy.hashError ? 'hash-failed' : 'unverified');
    if (copy.immutable) notes.push(lockNote(copy, policy, now));
    // Not `{ ...copy, assessment }`: on Node 20's V8 a spread clone gets a map outside the transition
    // tree, so adding a property to it makes a new hidden class per copy (about 0.5 KB each, and
    // megamorphic reads in every check). Object.assign onto {} walks the shared transitions instead.
    const assessment = { usable, notes, ageMs: age };
    return inPlace ? Object.assign(copy, { assessment }) : Object.assign({}, copy, { assessment });
  });
  return { copies: assessed, content };
}
