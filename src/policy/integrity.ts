// `integrity`: copies of one restore point agree on sha256; corrupt copies fail, unverified ones warn.
import type { AssessedCopy } from '../model.js';
import { confirmationOf, staleConfirmation } from './confirmation.js';
import { evidenceFor } from './evidence.js';
import { outcome } from './outcome.js';
import type { Check } from './types.js';

const has = (copy: AssessedCopy, note: string) => copy.assessment.notes.includes(note);
const corruptNote = (copy: AssessedCopy): string => (has(copy, 'outvoted') ? 'outvoted' : 'corrupt');
/** What a verified copy's content was confirmed by: our own hash, an operator's read, the store. */
const howVerified = (copy: AssessedCopy): string => confirmationOf(copy).by;

export const checkIntegrity: Check = (input, copies) => {
  // Only how many: nothing reads the backups as a list.
  let backups = 0;
  const corrupt: AssessedCopy[] = [];
  const conflicting: AssessedCopy[] = [];
  const unreadable: AssessedCopy[] = [];
  const unverified: AssessedCopy[] = [];
  const verified: AssessedCopy[] = [];
  const changed: AssessedCopy[] = [];
  /** Old copies nothing confirmed: history, no risk, and no verified copy either. */
  const oldUnverified: AssessedCopy[] = [];
  /** Backups not stale (fresh): what the unreadable and unverified counts are out of. */
  let freshBackups = 0;
  // One pass (a dataset may hold a million copies); a clean copy has no notes at all.
  for (let i = 0; i < copies.length; i++) {
    const copy = copies[i] as AssessedCopy;
    if (copy.role !== 'backup') continue;
    backups++;
    const notes = copy.assessment.notes;
    if (notes.length === 0) {
      freshBackups++;
      verified.push(copy);
      continue;
    }
    // A corrupt copy that is still fresh enough to count is a live risk; an old one is history.
    const fresh = !notes.includes('stale');
    if (fresh) freshBackups++;
    let namedAsProblem = false;
    if (notes.includes('corrupt') || notes.includes('outvoted')) {
      corrupt.push(copy);
      namedAsProblem = true;
    }
    if (notes.includes('conflict')) {
      conflicting.push(copy);
      namedAsProblem = true;
    }
    if (notes.includes('content-changed')) {
      changed.push(copy);
      namedAsProblem = true;
    }
    if (fresh && notes.includes('unreadable')) {
      unreadable.push(copy);
      namedAsProblem = true;
    }
    if (notes.includes('unverified') || notes.includes('hash-failed')) {
      (fresh ? unverified : oldUnverified).push(copy);
      namedAsProblem = true;
    }
    if (!namedAsProblem && !notes.includes('unreadable') && !notes.includes('vanished')) verified.push(copy);
  }
  if (backups === 0) return outcome('integrity', 'fail', 'no-copies');
  const notCounted = evidenceFor(changed, 'content-changed')
    .add(corrupt, corruptNote)
    .add(conflicting, 'conflict')
    .add(unreadable, (copy) => copy.hashError ?? 'unreadable')
    .add(unverified, (copy) => copy.hashError ?? 'unverified')
    .add(oldUnverified, (copy) => `stale,${copy.hashError ?? 'unverified'}`);
  const evidence = { counted: evidenceFor(verified, howVerified), notCounted };
  const anyFresh = (list: AssessedCopy[]) => list.some((copy) => !has(copy, 'stale'));
  if (changed.length > 0) {
    const first = changed[0] as AssessedCopy;
    const change = first.contentChanged;
    const params = {
      changed: changed.length,
      copy: first.id,
      previousSha256: change?.previousSha256 ?? '',
      previousHashedAt: change?.previousHashedAt ?? '',
      sha256: first.sha256 ?? '',
      detectedAt: change?.detectedAt ?? '',
    };
    return outcome('integrity', anyFresh(changed) ? 'fail' : 'warn', 'content-changed', params, evidence);
  }
  if (conflicting.length > 0) {
    const names = [...new Set(conflicting.map((copy) => copy.name))].join(', ');
    return outcome('integrity', anyFresh(conflicting) ? 'fail' : 'warn', 'conflict', { names }, evidence);
  }
  if (corrupt.length > 0) {
    return outcome('integrity', anyFresh(corrupt) ? 'fail' : 'warn', 'corrupt', { corrupt: corrupt.length }, evidence);
  }
  if (unreadable.length > 0) {
    // Bytes that cannot be read back might be fine or might be a bad sector: undecided, never a pass.
    return outcome(
      'integrity',
      'unknown',
      'unreadable',
      { unreadable: unreadable.length, total: freshBackups },
      evidence,
    );
  }
  if (unverified.length > 0) {
    return outcome('integrity', 'warn', 'unverified', { unverified: unverified.length, total: freshBackups }, evidence);
  }
  return readRecently(input, verified, freshBackups, notCounted);
};

/**
 * Consistent content is not enough: each fresh copy must have been read back (or checked by its
 * store) within its limit. A recorded checksum says what the bytes should be, not that they are still
 * there; a read long ago says nothing of today.
 */
function readRecently(
  input: Parameters<Check>[0],
  verified: AssessedCopy[],
  freshBackups: number,
  notCounted: ReturnType<typeof evidenceFor>,
) {
  const nowMs = input.now.getTime();
  const recent: AssessedCopy[] = [];
  const notRead: AssessedCopy[] = [];
  /** Why each copy of notRead was not read recently enough: its evidence note. */
  const reasons = new Map<AssessedCopy, string>();
  let neverRead = 0;
  let oldestReadAt: string | undefined;
  for (const copy of verified) {
    const why = has(copy, 'stale') ? undefined : staleConfirmation(copy, input.policy, nowMs);
    if (why === undefined) {
      recent.push(copy);
      continue;
    }
    notRead.push(copy);
    reasons.set(copy, why);
    const at = confirmationOf(copy).at;
    if (why === 'declared-only' || at === undefined) neverRead++;
    else if (oldestReadAt === undefined || at < oldestReadAt) oldestReadAt = at;
  }
  const evidence = {
    counted: evidenceFor(recent, howVerified),
    notCounted: notCounted.add(notRead, (copy) => reasons.get(copy)),
  };
  if (notRead.length === 0) return outcome('integrity', 'pass', 'ok', { verified: verified.length }, evidence);
  const params = {
    notRead: notRead.length,
    total: freshBackups,
    neverRead,
    verifyMaxAgeMs: input.policy.verifyMaxAgeMs,
    offlineVerifyMaxAgeMs: input.policy.offlineVerifyMaxAgeMs,
    ...(oldestReadAt ? { oldestReadAt } : {}),
  };
  return outcome('integrity', 'warn', 'not-read-recently', params, evidence);
}
