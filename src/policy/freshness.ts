// `freshness`: the newest copy is within the RPO, and the newest offline copy within offlineMaxAge.
import { datasetFacts } from './gather.js';
import type { Check } from './types.js';
import { item, outcome } from './types.js';

export const checkFreshness: Check = (input, copies) => {
  const { policy } = input;
  const facts = datasetFacts(copies);
  const latest = facts.newestIntact;
  if (!latest) return outcome('freshness', 'fail', 'no-copies', { rpoMs: policy.rpoMs });
  const ageMs = latest.assessment.ageMs;
  const evidence = { counted: [item(latest, 'newest')] };
  if (ageMs > policy.rpoMs) return outcome('freshness', 'fail', 'stale', { ageMs, rpoMs: policy.rpoMs }, evidence);
  if (policy.minOffline > 0) {
    const latestOffline = facts.newestIntactOffline;
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
