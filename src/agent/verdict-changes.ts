// Which datasets' verdicts changed since the last run: each change is one log line a SIEM can match.
import type { Report, Verdict } from '../model.js';

export interface VerdictChange {
  dataset: string;
  /** null the first time this agent process judges the dataset. */
  from: Verdict | null;
  to: Verdict;
}

/** The changes from `previous` (dataset → verdict) to the report's verdicts, and the verdicts to keep. */
export function verdictChanges(
  previous: ReadonlyMap<string, Verdict>,
  report: Pick<Report, 'datasets'>,
): { changes: VerdictChange[]; verdicts: Map<string, Verdict> } {
  const verdicts = new Map<string, Verdict>();
  const changes: VerdictChange[] = [];
  for (const dataset of report.datasets) {
    verdicts.set(dataset.id, dataset.verdict);
    const from = previous.get(dataset.id) ?? null;
    if (from !== dataset.verdict) changes.push({ dataset: dataset.id, from, to: dataset.verdict });
  }
  return { changes, verdicts };
}
