// `media`: usable copies span at least minMedia medium classes (disk, tape, object storage …).
import type { AssessedCopy } from '../model.js';
import { evidenceFor } from './evidence.js';
import { notCountedEvidence } from './not-counted.js';
import { outcome } from './outcome.js';
import type { Check } from './types.js';

const mediumOf = (copy: AssessedCopy): string => copy.medium;

export const checkMedia: Check = (input, _copies, census) => {
  const need = input.policy.minMedia;
  const { usable, media: seen } = census;
  const media = [...seen].sort();
  const params = { have: media.length, need, media: media.join(', ') || '—' };
  const evidence = { counted: evidenceFor(usable, mediumOf), notCounted: notCountedEvidence(census) };
  if (need === 0) return outcome('media', 'pass', 'not-required', params, evidence);
  return media.length >= need
    ? outcome('media', 'pass', 'ok', params, evidence)
    : outcome('media', 'fail', 'too-few', params, evidence);
};
