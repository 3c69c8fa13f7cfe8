// Picking the newest copy: the one rule every "newest …" of the checks follows.
import type { AssessedCopy } from '../model.js';

/** `candidate` when it is younger than `best` (the first of equals stays, as a stable pick). */
export function younger(best: AssessedCopy | undefined, candidate: AssessedCopy): AssessedCopy {
  return !best || candidate.assessment.ageMs < best.assessment.ageMs ? candidate : best;
}
