// The input a dataset's checks read: plain data, with the clock reading passed in.
import type { AssessedCopy, CheckCode, CheckStatus, Copy, DrillLog, EffectivePolicy, Finding } from '../model.js';
import { type CopyEvidence, evidenceFor } from './evidence.js';

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

/** The last timestamp parsed: copies written by one job share their modifiedAt text (src/integrity/iso-time.ts). */
let lastParsed = { text: '', ms: Number.NaN };

export function ageMs(copy: Copy, now: Date): number {
  if (copy.modifiedAt !== lastParsed.text) lastParsed = { text: copy.modifiedAt, ms: Date.parse(copy.modifiedAt) };
  return now.getTime() - lastParsed.ms;
}

/**
 * The newest copy on each device. A function of its own: V8 compiles this loop while it runs (once
 * per dataset) and its code deoptimised at whatever followed the loop, on every dataset.
 */
function newestPerDevice(copies: AssessedCopy[]): Map<string, AssessedCopy> {
  const newest = new Map<string, AssessedCopy>();
  // Indexed, not for-of: the checks run once per dataset, mostly before V8 has optimised them, and an
  // unoptimised for-of allocates an iterator result per element (measured: 34 MB of garbage in a
  // verify over 200,000 copies, from four such loops).
  for (let i = 0; i < copies.length; i++) {
    const copy = copies[i] as AssessedCopy;
    const current = newest.get(copy.device);
    // ageMs is now − modifiedAt, already parsed once per copy: younger means newer.
    if (!current || copy.assessment.ageMs < current.assessment.ageMs) newest.set(copy.device, copy);
  }
  return newest;
}

/** The youngest copy that passes `keep`, in one pass (no filtered list of a dataset's copies). */
export function newest(copies: AssessedCopy[], keep: (copy: AssessedCopy) => boolean): AssessedCopy | undefined {
  let best: AssessedCopy | undefined;
  // Indexed, as every loop over a dataset's copies (see newestPerDevice above).
  for (let i = 0; i < copies.length; i++) {
    const copy = copies[i] as AssessedCopy;
    if ((!best || copy.assessment.ageMs < best.assessment.ageMs) && keep(copy)) best = copy;
  }
  return best;
}

/** A dataset's copies split by whether they count: what four checks ask for, made in one pass. */
interface UsableSplit {
  usable: AssessedCopy[];
  unusable: AssessedCopy[];
}

/** Assessed lists are never changed, so a dataset's split is made once (checks are called with the same list). */
const splitOf = new WeakMap<AssessedCopy[], UsableSplit>();

function split(copies: AssessedCopy[]): UsableSplit {
  let found = splitOf.get(copies);
  if (!found) {
    found = { usable: [], unusable: [] };
    // Indexed, as every loop over a dataset's copies (see newestPerDevice above).
    for (let i = 0; i < copies.length; i++) {
      const copy = copies[i] as AssessedCopy;
      (copy.assessment.usable ? found.usable : found.unusable).push(copy);
    }
    splitOf.set(copies, found);
  }
  return found;
}

/** Copies that count toward the rule: usable backups (and the primary data when countPrimary is on). */
export function usableCopies(copies: AssessedCopy[]): AssessedCopy[] {
  return split(copies).usable;
}

/** Why a copy is not usable, as its evidence note: its assessment's reason codes. */
export const notesOf = (copy: AssessedCopy): string => copy.assessment.notes.join(',');

/** The unusable copies, for a finding's "not counted" evidence (with notesOf). */
export function unusableCopies(copies: AssessedCopy[]): AssessedCopy[] {
  return split(copies).unusable;
}

/** Unusable copies with their reasons, as a finding's "not counted" evidence. */
export function notCountedEvidence(copies: AssessedCopy[]): CopyEvidence {
  return evidenceFor(unusableCopies(copies), notesOf);
}

/** One copy per device, the newest; the rest are "same-device". */
export function byDevice(copies: AssessedCopy[]): { counted: AssessedCopy[]; sameDevice: AssessedCopy[] } {
  const counted = [...newestPerDevice(copies).values()];
  // By object, not by id: an id is a concatenated string, and hashing one flattens it into a new string.
  const isCounted = new Set(counted);
  return { counted, sameDevice: copies.filter((copy) => !isCounted.has(copy)) };
}
