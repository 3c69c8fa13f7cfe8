// Why copies did not count, as a finding's evidence: each unusable copy with its assessment's reasons.
import type { AssessedCopy } from '../model.js';
import type { DatasetCensus } from './census.js';
import { type CopyEvidence, evidenceFor } from './evidence.js';

/** Why a copy is not usable, as its evidence note: its assessment's reason codes. */
export const notesOf = (copy: AssessedCopy): string => copy.assessment.notes.join(',');

/** Unusable copies with their reasons, as a finding's "not counted" evidence. */
export function notCountedEvidence(census: DatasetCensus): CopyEvidence {
  return evidenceFor(census.unusable, notesOf);
}
