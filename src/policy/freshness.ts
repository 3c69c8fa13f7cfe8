// `freshness`: the newest copy is within the RPO, and the newest offline copy within offlineMaxAge.
import type { AssessedCopy } from '../model.js';
import { FUTURE_TIMESTAMP } from './assess.js';
import { evidenceFor } from './evidence.js';
import { datasetFacts } from './gather.js';
import type { Check } from './types.js';
import { item, outcome } from './types.js';

/** The first future-dated copy, as the finding's parameters: how many, which, and its time as the source gave it. */
function futureParams(future: readonly AssessedCopy[]): Record<string, string | number> {
  const first = future[0] as AssessedCopy;
  return { future: future.length, copy: first.id, modifiedAt: first.modifiedAt };
}

export const checkFreshness: Check = (input, copies) => {
  const { policy } = input;
  const facts = datasetFacts(copies);
  const latest = facts.newestIntact;
  const future = facts.futureDated;
  // A copy dated ahead of the clock has no known age: never the newest, always named.
  const notCounted = future.length > 0 ? { notCounted: evidenceFor(future, FUTURE_TIMESTAMP) } : {};
  if (!latest) {
    if (future.length > 0) {
      return outcome('freshness', 'fail', 'future-only', { rpoMs: policy.rpoMs, ...futureParams(future) }, notCounted);
    }
    return outcome('freshness', 'fail', 'no-copies', { rpoMs: policy.rpoMs });
  }
  const ageMs = latest.assessment.ageMs;
  const evidence = { counted: [item(latest, 'newest')], ...notCounted };
  if (ageMs > policy.rpoMs) return outcome('freshness', 'fail', 'stale', { ageMs, rpoMs: policy.rpoMs }, evidence);
  if (policy.minOffline > 0) {
    const latestOffline = facts.newestIntactOffline;
    if (latestOffline && latestOffline.assessment.ageMs > policy.offlineMaxAgeMs) {
      return outcome(
        'freshness',
        'fail',
        'offline-stale',
        { ageMs: latestOffline.assessment.ageMs, maxAgeMs: policy.offlineMaxAgeMs },
        { counted: [item(latest, 'newest'), item(latestOffline, 'newest-offline')], ...notCounted },
      );
    }
  }
  if (future.length > 0) {
    return outcome(
      'freshness',
      'warn',
      FUTURE_TIMESTAMP,
      { ageMs, rpoMs: policy.rpoMs, skewMs: policy.clockSkewMs, ...futureParams(future) },
      evidence,
    );
  }
  return outcome('freshness', 'pass', 'ok', { ageMs, rpoMs: policy.rpoMs }, evidence);
};
