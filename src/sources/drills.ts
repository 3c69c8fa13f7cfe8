// Reads the restore-drill log (JSON Lines): the evidence that a restore was actually tried, and how long it took.
import { readFile } from 'node:fs/promises';
import type { DrillLog, DrillRecord, SourceIssue } from '../model.js';
import { parseJsonLines } from './jsonl.js';
import { type LogKind, logReadFailure } from './log-read-failure.js';
import { checkTimestamp, futureDated, isFutureDated, type LogClock } from './timestamp.js';

export const DRILL_RESULTS = ['success', 'failure'] as const;

export type DrillCheck = { ok: true; record: Omit<DrillRecord, 'ref'> } | { ok: false; code: string; problem: string };

/**
 * Validates one drill record (used by the reader and by `backup321 drill record`, so the two agree).
 * Times are normalised to UTC ISO; a drill that finished before it started is rejected on its own code
 * (B321_DRILL_TIMES) because it is a typo an operator must fix, not a malformed line.
 */
export function checkDrillRecord(value: Record<string, unknown>): DrillCheck {
  const bad = (problem: string): DrillCheck => ({
    ok: false,
    code: 'B321_BAD_LINE',
    problem,
  });
  const { dataset, result, location, notes, bytes } = value;
  if (typeof dataset !== 'string' || dataset.trim() === '') return bad('"dataset" is missing');
  const started = checkTimestamp('startedAt', value.startedAt);
  if (!started.ok) return bad(started.problem);
  const finished = checkTimestamp('finishedAt', value.finishedAt);
  if (!finished.ok) return bad(finished.problem);
  const startedAt = started.iso;
  const finishedAt = finished.iso;
  if (!(DRILL_RESULTS as readonly unknown[]).includes(result)) {
    return bad(`"result" must be "success" or "failure" (got ${JSON.stringify(result)})`);
  }
  if (location !== undefined && typeof location !== 'string') return bad('"location" must be a string');
  if (notes !== undefined && typeof notes !== 'string') return bad('"notes" must be a string');
  if (bytes !== undefined && !(typeof bytes === 'number' && Number.isSafeInteger(bytes) && bytes > 0)) {
    return bad(`"bytes" must be the number of bytes restored, a whole number above 0 (got ${JSON.stringify(bytes)})`);
  }
  if (finishedAt < startedAt) {
    return {
      ok: false,
      code: 'B321_DRILL_TIMES',
      problem: `finishedAt ${finishedAt} is before startedAt ${startedAt}`,
    };
  }
  const record: Omit<DrillRecord, 'ref'> = {
    dataset: dataset.trim(),
    startedAt,
    finishedAt,
    result: result as DrillRecord['result'],
  };
  if (location) record.location = location;
  if (notes) record.notes = notes;
  if (typeof bytes === 'number') record.bytes = bytes;
  return { ok: true, record };
}

/**
 * `undefined` path: no drill log configured. A missing file is an empty log (`backup321 drill record`
 * creates it with the first drill), so "no restore drill recorded" is a decided fail; a file that
 * exists but cannot be read leaves the check undecided (readable false).
 */
const DRILL_LOG: LogKind = {
  name: 'restore-drill log',
  missingCode: 'B321_DRILL_LOG_MISSING',
  missingMeaning: 'no drill recorded (backup321 drill record creates it)',
};

/**
 * `clock`: the run's clock and the policy's clockSkew. A drill finishing further ahead is read (the
 * restore-drill check ignores it) and warned once (B321_FUTURE_TIME): a year typed wrong would
 * otherwise be ignored without a word, and the drill the operator meant would be missing.
 */
export async function readDrillLog(path: string | undefined, clock: LogClock): Promise<DrillLog> {
  if (path === undefined) return { configured: false, readable: false, records: [], issues: [] };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const issue = logReadFailure(path, error, DRILL_LOG);
    if (issue.code === 'B321_DRILL_LOG_MISSING')
      return { configured: true, readable: true, records: [], issues: [issue] };
    return {
      configured: true,
      readable: false,
      records: [],
      issues: [issue],
    };
  }
  const parsed = parseJsonLines(text);
  const issues: SourceIssue[] = parsed.bad.map(({ line, problem }) => warning('B321_BAD_LINE', path, line, problem));
  const records: DrillRecord[] = [];
  for (const { line, value } of parsed.records) {
    const checked = checkDrillRecord(value);
    if (checked.ok) {
      records.push({ ...checked.record, ref: `${path}:${line}` });
      const { finishedAt, dataset } = checked.record;
      if (isFutureDated(Date.parse(finishedAt), clock)) {
        issues.push({
          severity: 'warning',
          code: 'B321_FUTURE_TIME',
          message: `finishedAt ${futureDated(finishedAt, clock)}; a drill cannot finish in the future, so this one does not count`,
          path,
          line,
          dataset,
        });
      }
    } else issues.push(warning(checked.code, path, line, checked.problem, value.dataset));
  }
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { configured: true, readable: true, records, issues };
}

function warning(code: string, path: string, line: number, problem: string, dataset?: unknown): SourceIssue {
  return {
    severity: 'warning',
    code,
    message: `${problem}; record skipped`,
    path,
    line,
    ...(typeof dataset === 'string' && dataset !== '' ? { dataset } : {}),
  };
}
