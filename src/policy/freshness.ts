// `freshness`: the newest copy is within the RPO, and the newest offline copy within offlineMaxAge.
import type { AssessedCopy } from '../model.js';
import { isDamaged } from './assess.js';
import type { Check } from './types.js';
import { item, newest, outcome } from './types.js';

const intact = (copy: AssessedCopy) => copy.role === 'backup' && !isDamaged(copy);

export const checkFreshness: Check = (input, copies) => {
  const { policy } = input;
  const latest = newest(copies, intact);
  if (!latest) return outcome('freshness', 'fail', 'no-copies', { rpoMs: policy.rpoMs });
  const ageMs = latest.assessment.ageMs;
  const evidence = { counted: [item(latest, 'newest')] };
  if (ageMs > policy.rpoMs) return outcome('freshness', 'fail', 'stale', { ageMs, rpoMs: policy.rpoMs }, evidence);
  if (policy.minOffline > 0) {
    const latestOffline = newest(copies, (copy) => intact(copy) && copy.locationType === 'offline-log');
    if (latestOffline && latestOffline.assessment.ageMs > policy.offlineMaxAgeMs) {
      return outcome(
        'freshness',
        'fail',
        'offline-stale',
        { ageMs: latestOffline.assessment.ageMs, maxAgeMs: policy.offlineMaxAgeMs },
        { counted: [item(latest, 'newest'), item(latestOffline, 'newest-offline')] },
      );
    }
  }
  return outcome('freshness', 'pass', 'ok', { ageMs, rpoMs: policy.rpoMs }, evidence);
};
