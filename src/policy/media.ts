// `media`: usable copies span at least minMedia medium classes (disk, tape, object storage …).
import type { AssessedCopy, EvidenceItem } from '../model.js';
import type { Check } from './types.js';
import { item, notCountedEvidence, outcome, usableCopies } from './types.js';

export const checkMedia: Check = (input, copies) => {
  const need = input.policy.minMedia;
  const usable = usableCopies(copies);
  // One pass for the media and the evidence (a dataset may hold a million copies).
  const seen = new Set<string>();
  const counted = new Array<EvidenceItem>(usable.length);
  for (let i = 0; i < usable.length; i++) {
    const copy = usable[i] as AssessedCopy;
    seen.add(copy.medium);
    counted[i] = item(copy, copy.medium);
  }
  const media = [...seen].sort();
  const params = { have: media.length, need, media: media.join(', ') || '—' };
  const evidence = { counted, notCounted: notCountedEvidence(copies) };
  if (need === 0) return outcome('media', 'pass', 'not-required', params, evidence);
  return media.length >= need
    ? outcome('media', 'pass', 'ok', params, evidence)
    : outcome('media', 'fail', 'too-few', params, evidence);
};
