// The input a dataset's checks read: plain data, with the clock reading passed in.
import type { AssessedCopy, CheckCode, CheckStatus, Copy, DrillLog, EffectivePolicy, Finding } from '../model.js';
import { type CopyEvidence, evidenceFor } from './evidence.js';
import { datasetFacts, younger } from './gather.js';

export interface DatasetInput {
  id: string;
  policy: EffectivePolicy;
  /** Location ids the dataset keeps copies at. */
  locations: string[];
  /** Location ids among them that hold offline media (offline-log locations). */
  offlineLocations: string[];
  copies: Copy[];
  /** Location ids that could not be read (wholly, or for this dataset). */
  unreadable: string[];
  drills: DrillLog;
  now: Date;
  /**
   * The caller hands the copies over and will not use them again (verify() drops its lists): each
   * copy then gets its assessment added in place instead of being cloned, so a run over a million
   * copies does not hold every copy twice (about 200 MB). Off by default: evaluation leaves its input alone.
   */
  assessInPlace?: boolean;
}

/** A finding before the report gives it its message. */
export type Outcome = Omit<Finding, 'message'>;

export type Check = (input: DatasetInput, copies: AssessedCopy[]) => Outcome;

export function outcome(
  check: CheckCode,
  status: CheckStatus,
  reason: string,
  params: Outcome['params'] = {},
  evidence: Outcome['evidence'] = {},
): Outcome {
  return { check, status, reason, params, evidence };
}

export { item } from './evidence.js';

/** Why a copy is not usable, as its evidence note: its assessment's reason codes. */
export const notesOf = (copy: AssessedCopy): string => copy.assessment.notes.join(',');

/** Unusable copies with their reasons, as a finding's "not counted" evidence. */
export function notCountedEvidence(copies: AssessedCopy[]): CopyEvidence {
  return evidenceFor(datasetFacts(copies).unusable, notesOf);
}

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
