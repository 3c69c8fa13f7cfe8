// `offline`: at least minOffline usable copies on media that are offline now (or, by site choice, locked).
import type { AssessedCopy, EffectivePolicy } from '../model.js';
import { byDevice } from './devices.js';
import { evidenceFor } from './evidence.js';
import { outcome } from './outcome.js';
import type { Check } from './types.js';

/**
 * An Object Lock protects a copy like an air gap only in COMPLIANCE mode (GOVERNANCE can be bypassed
 * with s3:BypassGovernanceRetention) and only while retain-until lies beyond the horizon.
 */
export function lockedLikeOffline(copy: AssessedCopy, policy: EffectivePolicy, now: Date): boolean {
  if (!policy.immutableCountsAsOffline || copy.immutable?.mode !== 'COMPLIANCE') return false;
  return Date.parse(copy.immutable.retainUntil) - now.getTime() >= policy.immutableHorizonMs;
}

export const checkOffline: Check = (input, _copies, census) => {
  const { policy, now } = input;
  const need = policy.minOffline;
  const qualifies = (copy: AssessedCopy) => copy.offline || lockedLikeOffline(copy, policy, now);
  // Only these can count or be named: a dataset kept on disks alone has none.
  const candidates = census.offlineCapable;
  const { counted } = byDevice(candidates.filter((copy) => copy.assessment.usable && qualifies(copy)));
  const isCounted = new Set(counted);
  const evidence = {
    counted: evidenceFor(counted, howOffline),
    notCounted: evidenceFor(
      candidates.filter((copy) => (copy.locationType === 'offline-log' || copy.immutable) && !isCounted.has(copy)),
      (copy) => whyNotCounted(copy, qualifies(copy)),
    ),
  };
  const params = { have: counted.length, need };
  if (need === 0) return outcome('offline', 'pass', 'not-required', params, evidence);
  if (counted.length >= need) return outcome('offline', 'pass', 'ok', params, evidence);
  // Say why usable media copies did not count, where one reason holds them back: the operator's fix differs.
  for (const reason of HELD_BACK) {
    const held = candidates.filter((copy) => copy.assessment.usable && copy.offlineReason === reason);
    if (held.length > 0) return outcome('offline', 'fail', reason, { ...params, mediaIds: mediaOf(held) }, evidence);
  }
  const canHaveOffline =
    input.offlineLocations.length > 0 || (policy.immutableCountsAsOffline && candidates.some((c) => c.immutable));
  return outcome('offline', 'fail', canHaveOffline ? 'too-few' : 'no-offline-location', params, evidence);
};

/**
 * Why a logged-offline media's usable copy did not count: still plugged in, or the machine's block
 * devices could not be listed. An attached media first: it is the one an operator can fix at once.
 */
const HELD_BACK = ['attached-now', 'attachment-unknown'] as const;

/** The media ids of media copies, once each, in order (a media copy's path is `media:<id>/<file>`). */
function mediaOf(copies: readonly AssessedCopy[]): string {
  return [...new Set(copies.map((copy) => /^media:([^/]*)\//.exec(copy.path)?.[1] ?? copy.device))].join(', ');
}

const howOffline = (copy: AssessedCopy): string => (copy.offline ? 'offline' : `object-lock ${copy.immutable?.mode}`);

function whyNotCounted(copy: AssessedCopy, qualifies: boolean): string {
  if (!copy.assessment.usable) return copy.assessment.notes.join(',');
  if (qualifies) return 'same-device';
  return copy.offlineReason ?? (copy.immutable ? 'lock-not-counted' : 'not-offline');
}
