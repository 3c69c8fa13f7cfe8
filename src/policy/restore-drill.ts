// `restore-drill`: a successful restore drill within drillMaxAge that took no longer than the RTO; a failed latest drill fails.
import type { DrillRecord } from '../model.js';
import type { Check } from './types.js';
import { outcome } from './types.js';

/** Clocks of the machines that log drills may run a little ahead; a drill further in the future is a typo. */
export const CLOCK_SKEW_MS = 5 * 60_000;

const took = (record: DrillRecord) => Date.parse(record.finishedAt) - Date.parse(record.startedAt);

export const checkRestoreDrill: Check = (input) => {
  const { policy, drills, now } = input;
  const maxAgeMs = policy.drillMaxAgeMs;
  if (maxAgeMs === 0) return outcome('restore-drill', 'pass', 'not-required');
  if (drills.configured && !drills.readable) return outcome('restore-drill', 'unknown', 'log-unreadable');
  const records = drills.records
    .filter((record) => record.dataset === input.id && Date.parse(record.finishedAt) <= now.getTime() + CLOCK_SKEW_MS)
    .sort((a, b) => Date.parse(a.finishedAt) - Date.parse(b.finishedAt));
  const latest = records.at(-1);
  if (!latest) return outcome('restore-drill', 'fail', 'none', { maxAgeMs });
  if (latest.result === 'failure') {
    return outcome('restore-drill', 'fail', 'failed', { finishedAt: latest.finishedAt }, { drill: latest.ref });
  }
  const recent = records.filter(
    (record) => record.result === 'success' && now.getTime() - Date.parse(record.finishedAt) <= maxAgeMs,
  );
  const good = recent.filter((record) => took(record) <= policy.rtoMs).at(-1);
  if (good) {
    return outcome(
      'restore-drill',
      'pass',
      'ok',
      { finishedAt: good.finishedAt, tookMs: took(good) },
      { drill: good.ref },
    );
  }
  const slow = recent.at(-1);
  if (slow) {
    return outcome(
      'restore-drill',
      'fail',
      'too-slow',
      { tookMs: took(slow), rtoMs: policy.rtoMs },
      { drill: slow.ref },
    );
  }
  const ageMs = now.getTime() - Date.parse(latest.finishedAt);
  return outcome('restore-drill', 'fail', 'stale', { ageMs, maxAgeMs }, { drill: latest.ref });
};
