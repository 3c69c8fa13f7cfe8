// `integrity`: copies of one restore point agree on sha256; corrupt copies fail, unverified ones warn.
import type { AssessedCopy } from '../model.js';
import type { Check } from './types.js';
import { item, outcome } from './types.js';

const has = (copy: AssessedCopy, note: string) => copy.assessment.notes.includes(note);

export const checkIntegrity: Check = (_input, copies) => {
  const backups = copies.filter((copy) => copy.role === 'backup');
  if (backups.length === 0) return outcome('integrity', 'fail', 'no-copies');
  // A corrupt copy that is still young enough to count is a live risk; an old one is history.
  const current = backups.filter((copy) => !has(copy, 'stale'));
  const corrupt = backups.filter((copy) => has(copy, 'corrupt') || has(copy, 'outvoted'));
  const conflicting = backups.filter((copy) => has(copy, 'conflict'));
  const unreadable = current.filter((copy) => has(copy, 'unreadable'));
  const unverified = current.filter((copy) => has(copy, 'unverified') || has(copy, 'hash-failed'));
  const judged = new Set([...corrupt, ...conflicting, ...unreadable, ...unverified]);
  const verified = backups.filter((copy) => !judged.has(copy) && !has(copy, 'unreadable') && !has(copy, 'vanished'));
  const evidence = {
    counted: verified.map((copy) => item(copy, copy.sha256 ? 'hashed' : (copy.recorded?.source ?? 'verified'))),
    notCounted: [
      ...corrupt.map((copy) => item(copy, has(copy, 'outvoted') ? 'outvoted' : 'corrupt')),
      ...conflicting.map((copy) => item(copy, 'conflict')),
      ...unreadable.map((copy) => item(copy, copy.hashError ?? 'unreadable')),
      ...unverified.map((copy) => item(copy, copy.hashError ?? 'unverified')),
    ],
  };
  const live = (list: AssessedCopy[]) => list.some((copy) => !has(copy, 'stale'));
  if (conflicting.length > 0) {
    const names = [...new Set(conflicting.map((copy) => copy.name))].join(', ');
    return outcome('integrity', live(conflicting) ? 'fail' : 'warn', 'conflict', { names }, evidence);
  }
  if (corrupt.length > 0) {
    return outcome('integrity', live(corrupt) ? 'fail' : 'warn', 'corrupt', { corrupt: corrupt.length }, evidence);
  }
  if (unreadable.length > 0) {
    // Bytes that cannot be read back might be fine or might be a bad sector: undecided, never a pass.
    return outcome(
      'integrity',
      'unknown',
      'unreadable',
      { unreadable: unreadable.length, total: current.length },
      evidence,
    );
  }
  if (unverified.length > 0) {
    return outcome(
      'integrity',
      'warn',
      'unverified',
      { unverified: unverified.length, total: current.length },
      evidence,
    );
  }
  return outcome('integrity', 'pass', 'ok', { verified: verified.length }, evidence);
};
