// Why an append-only log (offline media, restore drills) could not be read, as a source issue.
import { errnoCode, errorMessage } from '../errors.js';
import type { SourceIssue } from '../model.js';

export interface LogKind {
  /** "offline-media log", "restore-drill log". */
  name: string;
  missingCode: string;
  /** What a log that does not exist yet means, and which command creates it. */
  missingMeaning: string;
}

/**
 * The product's own commands create these logs, so one that does not exist yet is an empty log: a
 * warning, and the checks decide on "nothing recorded". A log that exists but cannot be read is an
 * error: its checks stay undecided.
 */
export function logReadFailure(path: string, error: unknown, kind: LogKind): SourceIssue {
  const code = errnoCode(error);
  if (code === 'ENOENT') {
    return {
      severity: 'warning',
      code: kind.missingCode,
      message: `the ${kind.name} does not exist yet: ${kind.missingMeaning}`,
      path,
    };
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return { severity: 'error', code: 'B321_EACCES', message: `permission denied reading the ${kind.name}`, path };
  }
  return { severity: 'error', code: 'B321_READ_ERROR', message: errorMessage(error), path };
}
