// Why an append-only log (offline media, restore drills) could not be read, as a source issue.
import type { IssueCode, PhraseKey } from '../../codes.js';
import { errnoCode, errorMessage } from '../../errors.js';
import { sourceIssue } from '../../issues.js';
import type { SourceIssue } from '../../model.js';
import { readFailureCode } from './read-failure.js';

export interface LogKind {
  /** What the log is called in messages. */
  target: Extract<PhraseKey, `target.${string}`>;
  /** The warning for a log that does not exist yet; its message says what that means and which command creates it. */
  missingCode: Extract<IssueCode, 'B321_LOG_MISSING' | 'B321_DRILL_LOG_MISSING'>;
}

/**
 * The product's own commands create these logs, so one that does not exist yet is an empty log: a
 * warning, and the checks decide on "nothing recorded". A log that exists but cannot be read is an
 * error: its checks stay undecided.
 */
export function logReadFailure(path: string, error: unknown, kind: LogKind): SourceIssue {
  const errno = errnoCode(error);
  if (errno === 'ENOENT') return sourceIssue(kind.missingCode, {}, { severity: 'warning', path });
  const code = readFailureCode(errno) ?? 'B321_READ_ERROR';
  return sourceIssue(code, { target: kind.target, path, detail: errorMessage(error) }, { severity: 'error', path });
}
