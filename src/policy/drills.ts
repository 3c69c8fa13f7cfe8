// A dataset's restore drills as the checks read them: its own, dated no further ahead than the clock skew.
import type { DrillRecord } from '../model.js';
import type { DatasetInput } from './types.js';

export const tookMs = (record: DrillRecord): number => Date.parse(record.finishedAt) - Date.parse(record.startedAt);

/**
 * The dataset's drills, oldest first. One finishing further in the future than the clock skew is a
 * typo (a wrong year would otherwise pass for decades): it is left out, and the drill log reports it.
 */
export function datasetDrills(input: DatasetInput): DrillRecord[] {
  const limit = input.now.getTime() + input.policy.clockSkewMs;
  return input.drills.records
    .filter((record) => record.dataset === input.id && Date.parse(record.finishedAt) <= limit)
    .sort((a, b) => Date.parse(a.finishedAt) - Date.parse(b.finishedAt));
}

/** Successful drills within drillMaxAge, oldest first: restores that were measured recently enough to trust. */
export function recentSuccessfulDrills(input: DatasetInput, drills: readonly DrillRecord[]): DrillRecord[] {
  const now = input.now.getTime();
  return drills.filter(
    (record) => record.result === 'success' && now - Date.parse(record.finishedAt) <= input.policy.drillMaxAgeMs,
  );
}
