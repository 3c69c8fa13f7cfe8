// `copies`: at least minCopies usable copies, on distinct devices (two copies on one disk are one copy).
import type { AssessedCopy } from '../model.js';
import { otherThan } from './devices.js';
import { evidenceFor } from './evidence.js';
import { notesOf } from './not-counted.js';
import { outcome } from './outcome.js';
import type { Check } from './types.js';

const deviceOf = (copy: AssessedCopy): string => copy.device;

export const checkCopies: Check = (input, _copies, census) => {
  const need = input.policy.minCopies;
  const counted = [...census.newestOnDevice.values()];
  const sameDevice = otherThan(census.usable, counted);
  const notCounted = evidenceFor(sameDevice, 'same-device').add(census.unusable, notesOf);
  const evidence = { counted: evidenceFor(counted, deviceOf), notCounted };
  if (need === 0) return outcome('copies', 'pass', 'not-required', { have: counted.length, need }, evidence);
  const params = { have: counted.length, need };
  return counted.length >= need
    ? outcome('copies', 'pass', 'ok', params, evidence)
    : outcome('copies', 'fail', 'too-few', params, evidence);
};
