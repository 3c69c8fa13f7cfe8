// `restore-drill`: a successful restore drill within drillMaxAge that took no longer than the RTO; a failed latest drill fails.
import { datasetDrills, recentSuccessfulDrills, tookMs as took } from './drills.js';
import { outcome } from './outcome.js';
import type { Check } from './types.js';

export const checkRestoreDrill: Check = (input) => {
  const { policy, drills, now } = input;
  const maxAgeMs = policy.drillMaxAgeMs;
  if (maxAgeMs === 0) return outcome('restore-drill', 'pass', 'not-required');
  if (drills.configured && !drills.readable) return outcome('restore-drill', 'unknown', 'log-unreadable');
  const records = datasetDrills(input);
  const latest = records.at(-1);
  if (!latest) return outcome('restore-drill', 'fail', 'none', { maxAgeMs });
  if (latest.result === 'failure') {
    return outcome('restore-drill', 'fail', 'failed', { finishedAt: latest.finishedAt }, { drill: latest.ref });
  }
  const recent = recentSuccessfulDrills(input, records);
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
