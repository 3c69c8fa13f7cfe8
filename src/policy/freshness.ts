// `freshness`: the newest copy is within the RPO, and the newest offline copy within offlineMaxAge.
import type { AssessedCopy } from '../model.js';
import { FUTURE_TIMESTAMP } from './assess.js';
import { evidenceFor, item } from './evidence.js';
import { outcome } from './outcome.js';
import type { Check } from './types.js';

/** The first future-dated copy, as the finding's parameters: how many, which, and its time as the source gave it. */
function futureParams(future: readonly AssessedCopy[]): Record<string, string | number> {
  const first = future[0] as AssessedCopy;
  return { future: future.length, copy: first.id, modifiedAt: first.modifiedAt };
}

export const checkFreshness: Check = (input, _copies, census) => {
  const { policy } = input;
  const latest = census.newestIntact;
  const future = census.futureDated;
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
    const latestOffline = census.newestIntactOffline;
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
