// The input a dataset's checks read, and what a check gives back: plain data, with the clock reading passed in.
import type { AssessedCopy, Copy, DrillLog, EffectivePolicy, Finding } from '../model.js';
import type { DatasetCensus } from './census.js';

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
   * copies does not hold every copy twice. Off by default: evaluation leaves its input alone.
   */
  assessInPlace?: boolean;
}

/** A finding before the report gives it its message. */
export type Outcome = Omit<Finding, 'message'>;

/** One rule over a dataset's assessed copies and their census (taken once per dataset by the caller). */
export type Check = (input: DatasetInput, copies: AssessedCopy[], census: DatasetCensus) => Outcome;
