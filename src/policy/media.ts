// `media`: usable copies span at least minMedia medium classes (disk, tape, object storage …).
import type { AssessedCopy } from '../model.js';
import { evidenceFor } from './evidence.js';
import { datasetFacts } from './gather.js';
import type { Check } from './types.js';
import { notCountedEvidence, outcome } from './types.js';

const mediumOf = (copy: AssessedCopy): string => copy.medium;

export const checkMedia: Check = (input, copies) => {
  const need = input.policy.minMedia;
  const { usable, media: seen } = datasetFacts(copies);
  const media = [...seen].sort();
  const params = { have: media.length, need, media: media.join(', ') || '—' };
  const evidence = { counted: evidenceFor(usable, mediumOf), notCounted: notCountedEvidence(copies) };
  if (need === 0) return outcome('media', 'pass', 'not-required', params, evidence);
  return media.length >= need
    ? outcome('media', 'pass', 'ok', params, evidence)
    : outcome('media', 'fail', 'too-few', params, evidence);
};
