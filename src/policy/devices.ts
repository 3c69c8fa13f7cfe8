// Two copies on one device are one copy: counting one per device, and naming the rest.
import type { AssessedCopy } from '../model.js';
import { younger } from './newest.js';

/** The copies of `copies` that are not in `counted` (a handful): compared by object, not looked up. */
export function otherThan(copies: readonly AssessedCopy[], counted: readonly AssessedCopy[]): AssessedCopy[] {
  // By object, not by id: an id is a concatenated string, and hashing one flattens it into a new string.
  // Against a few counted copies a comparison with each beats a set lookup per copy.
  if (counted.length > 8) {
    const isCounted = new Set(counted);
    return copies.filter((copy) => !isCounted.has(copy));
  }
  return copies.filter((copy) => !counted.includes(copy));
}

/** One copy per device, the newest (in the order the devices first appear); the rest are "same-device". */
export function byDevice(copies: AssessedCopy[]): { counted: AssessedCopy[]; sameDevice: AssessedCopy[] } {
  const newest = new Map<string, AssessedCopy>();
  for (const copy of copies) newest.set(copy.device, younger(newest.get(copy.device), copy));
  const counted = [...newest.values()];
  return { counted, sameDevice: otherThan(copies, counted) };
}
