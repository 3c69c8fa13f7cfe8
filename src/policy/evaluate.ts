// Evaluates one dataset: assess its copies, take their census, run every check, leave undecided what unreadable sources could overturn.
import type { AssessedCopy, CheckCode, CheckStatus, Verdict } from '../model.js';
import { assessCopies } from './assess.js';
import { takeCensus } from './census.js';
import { checkCopies } from './copies.js';
import { checkFreshness } from './freshness.js';
import { checkIntegrity } from './integrity.js';
import { checkMedia } from './media.js';
import { checkOffline } from './offline.js';
import { checkRestoreDrill } from './restore-drill.js';
import { checkRestoreTime } from './restore-time.js';
import type { Check, DatasetInput, Outcome } from './types.js';

export const CHECKS: ReadonlyArray<readonly [CheckCode, Check]> = [
  ['copies', checkCopies],
  ['media', checkMedia],
  ['offline', checkOffline],
  ['freshness', checkFreshness],
  ['integrity', checkIntegrity],
  ['restore-time', checkRestoreTime],
  ['restore-drill', checkRestoreDrill],
];

/**
 * Copies at an unreadable location might exist. For checks that more copies can only help, a pass
 * stands (it holds without them) and anything else is undecided; for integrity, which more copies can
 * only hurt, a fail stands and anything else is undecided. So an unreadable source never yields a pass
 * that it could have overturned.
 */
const MORE_COPIES_HURT: ReadonlySet<CheckCode> = new Set(['integrity']);
const DRILL_CHECKS: ReadonlySet<CheckCode> = new Set(['restore-drill']);
/** Findings about absence: unseen copies could end them, whatever the check. */
const ABSENCE_REASONS: ReadonlySet<string> = new Set(['no-copies']);

export function undecidedIfUnseenCouldOverturn(result: Outcome, unreadable: string[]): Outcome {
  if (unreadable.length === 0 || DRILL_CHECKS.has(result.check) || result.status === 'unknown') return result;
  const hurts = MORE_COPIES_HURT.has(result.check) && !ABSENCE_REASONS.has(result.reason);
  const stands = hurts ? result.status === 'fail' : result.status === 'pass';
  if (stands) return result;
  return {
    ...result,
    status: 'unknown',
    reason: 'source-unreadable',
    params: { ...result.params, locations: unreadable.join(', '), wouldBe: result.reason },
    evidence: { ...result.evidence, unreadable },
  };
}

export function verdictOf(statuses: CheckStatus[]): Verdict {
  if (statuses.includes('fail')) return 'non-compliant';
  if (statuses.includes('unknown')) return 'unknown';
  if (statuses.includes('warn')) return 'at-risk';
  return 'compliant';
}

export interface DatasetEvaluation {
  verdict: Verdict;
  outcomes: Outcome[];
  copies: AssessedCopy[];
}

export function evaluateDataset(input: DatasetInput): DatasetEvaluation {
  const { copies, unreadableAt } = assessCopies(input.copies, input.policy, input.now, input.assessInPlace ?? false);
  // A copy whose bytes could not be read leaves its location as undecided as a directory that could not be listed.
  const unreadable = [...new Set([...input.unreadable, ...unreadableAt])];
  // Taken once here and handed to every check: each check reads it instead of going over the copies again.
  const census = takeCensus(copies);
  const outcomes = CHECKS.map(([, check]) => undecidedIfUnseenCouldOverturn(check(input, copies, census), unreadable));
  return { verdict: verdictOf(outcomes.map((o) => o.status)), outcomes, copies };
}

const EXIT_BY_VERDICT: Record<Verdict, 0 | 1 | 2 | 3> = { compliant: 0, 'at-risk': 1, 'non-compliant': 2, unknown: 3 };
// Monitoring-plugin convention over several datasets: the worst wins, in the order 2, 3, 1, 0.
const SEVERITY: Record<Verdict, number> = { 'non-compliant': 3, unknown: 2, 'at-risk': 1, compliant: 0 };

export function overallVerdict(verdicts: Verdict[]): Verdict {
  if (verdicts.length === 0) return 'unknown';
  return verdicts.reduce((worst, v) => (SEVERITY[v] > SEVERITY[worst] ? v : worst), 'compliant' as Verdict);
}

export function exitCodeFor(verdict: Verdict): 0 | 1 | 2 | 3 {
  return EXIT_BY_VERDICT[verdict];
}
