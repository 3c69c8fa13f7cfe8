// A check's result before the report words it: the one way checks make one.
import type { CheckCode, CheckStatus } from '../model.js';
import type { Outcome } from './types.js';

export function outcome(
  check: CheckCode,
  status: CheckStatus,
  reason: string,
  params: Outcome['params'] = {},
  evidence: Outcome['evidence'] = {},
): Outcome {
  return { check, status, reason, params, evidence };
}
