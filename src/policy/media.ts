// `media`: usable copies span at least minMedia medium classes (disk, tape, object storage …).
import type { Check } from './types.js';
import { item, notCountedEvidence, outcome, usableCopies } from './types.js';

export const checkMedia: Check = (input, copies) => {
  const need = input.policy.minMedia;
  const usable = usableCopies(copies);
  const media = [...new Set(usable.map((copy) => copy.medium))].sort();
  const params = { have: media.length, need, media: media.join(', ') || '—' };
  const evidence = { counted: usable.map((copy) => item(copy, copy.medium)), notCounted: notCountedEvidence(copies) };
  if (need === 0) return outcome('media', 'pass', 'not-required', params, evidence);
  return media.length >= need
    ? outcome('media', 'pass', 'ok', params, evidence)
    : outcome('media', 'fail', 'too-few', params, evidence);
};
