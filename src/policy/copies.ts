// `copies`: at least minCopies usable copies, on distinct devices (two copies on one disk are one copy).
import type { Check } from './types.js';
import { byDevice, item, notCountedEvidence, outcome, usableCopies } from './types.js';

export const checkCopies: Check = (input, copies) => {
  const need = input.policy.minCopies;
  const { counted, sameDevice } = byDevice(usableCopies(copies));
  // Pushed onto one list, not spread from two: as in checkIntegrity, where spreading lists of another
  // elements kind deoptimised the check on every dataset.
  const notCounted = sameDevice.map((copy) => item(copy, 'same-device'));
  for (const entry of notCountedEvidence(copies)) notCounted.push(entry);
  const evidence = { counted: counted.map((copy) => item(copy, copy.device)), notCounted };
  if (need === 0) return outcome('copies', 'pass', 'not-required', { have: counted.length, need }, evidence);
  const params = { have: counted.length, need };
  return counted.length >= need
    ? outcome('copies', 'pass', 'ok', params, evidence)
    : outcome('copies', 'fail', 'too-few', params, evidence);
};
