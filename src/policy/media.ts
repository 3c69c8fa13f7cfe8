// `media`: usable copies span at least minMedia medium classes (disk, tape, object storage …).
import type { AssessedCopy } from '../model.js';
import { evidenceFor } from './evidence.js';
import type { Check } from './types.js';
import { notCountedEvidence, outcome, usableCopies } from './types.js';

const mediumOf = (copy: AssessedCopy): string => copy.medium;

export const checkMedia: Check = (input, copies) => {
  const need = input.policy.minMedia;
  const usable = usableCopies(copies);
  const media = [...mediaOf(usable)].sort();
  const params = { have: media.length, need, media: media.join(', ') || '—' };
  const evidence = { counted: evidenceFor(usable, mediumOf), notCounted: notCountedEvidence(copies) };
  if (need === 0) return outcome('media', 'pass', 'not-required', params, evidence);
  return media.length >= need
    ? outcome('media', 'pass', 'ok', params, evidence)
    : outcome('media', 'fail', 'too-few', params, evidence);
};

/**
 * The medium classes of the usable copies, in one pass (a dataset may hold a million copies). A
 * function of its own: V8 compiles this loop while it runs, and in checkMedia that code deoptimised
 * at what followed the loop on up to every dataset (0–18 times in a verify over 20 datasets, by how
 * the background compiles fell; --trace-deopt).
 */
function mediaOf(usable: AssessedCopy[]): Set<string> {
  const seen = new Set<string>();
  for (let i = 0; i < usable.length; i++) seen.add((usable[i] as AssessedCopy).medium);
  return seen;
}
