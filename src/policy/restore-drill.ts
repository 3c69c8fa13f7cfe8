// `restore-drill`: the latest logged restore drill succeeded, within drillMaxAge, and took no longer than the RTO.
import type { Check } from './types.js';
import { outcome } from './types.js';

export const checkRestoreDrill: Check = (input) => {
  const { policy, drills, now } = input;
  const maxAgeMs = policy.drillMaxAgeMs;
  if (maxAgeMs === 0) return outcome('restore-drill', 'pass', 'not-required');
  if (drills.configured && !drills.readable) return outcome('restore-drill', 'unknown', 'log-unreadable');
  const records = drills.records
    .filter((record) => record.dataset === input.id)
    .sort((a, b) => Date.parse(a.finishedAt) - Date.parse(b.finishedAt));
  const latest = records.at(-1);
  if (!latest) return outcome('restore-drill', 'fail', 'none', { maxAgeMs });
  const tookMs = Date.parse(latest.finishedAt) - Date.parse(latest.startedAt);
  const ageMs = now.getTime() - Date.parse(latest.finishedAt);
  const evidence = { drill: latest.ref };
  if (latest.result === 'failure')
    return outcome('restore-drill', 'fail', 'failed', { finishedAt: latest.finishedAt }, evidence);
  if (ageMs > maxAgeMs) return outcome('restore-drill', 'fail', 'stale', { ageMs, maxAgeMs }, evidence);
  if (tookMs > policy.rtoMs)
    return outcome('restore-drill', 'fail', 'too-slow', { tookMs, rtoMs: policy.rtoMs }, evidence);
  return outcome('restore-drill', 'pass', 'ok', { finishedAt: latest.finishedAt, tookMs }, evidence);
};
