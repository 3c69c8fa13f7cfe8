// Reads the restore-drill log (JSON Lines): the evidence that a restore was actually tried, and how long it took.
import { readFile } from 'node:fs/promises';
import { type Problem, sourceIssue } from '../issues.js';
import type { DrillLog, DrillRecord, SourceIssue } from '../model.js';
import { parseJsonLines } from '../sources/common/jsonl.js';
import { NotAnsweringIssue } from '../sources/common/log-text.js';
import { type LogKind, logReadFailure } from '../sources/common/log-read-failure.js';
import { checkTimestamp, futureParams, isFutureDated, type LogClock, refused } from '../sources/common/timestamp.js';

export const DRILL_RESULTS = ['success', 'failure'] as const;

/** `problem` in English for `drill record`; `why` for a log line's issue, in any language. */
export type DrillCheck =
  | { ok: true; record: Omit<DrillRecord, 'ref'> }
  | { ok: false; code: 'B321_BAD_LINE' | 'B321_DRILL_TIMES'; problem: string; why: Problem };

/**
 * Validates one drill record (used by the reader and by `backup321 drill record`, so the two agree).
 * Times are normalised to UTC ISO; a drill that finished before it started is rejected on its own code
 * (B321_DRILL_TIMES) because it is a typo an operator must fix, not a malformed line.
 */
export function checkDrillRecord(value: Record<string, unknown>): DrillCheck {
  const bad = (why: Problem): DrillCheck => ({ code: 'B321_BAD_LINE', ...refused(why) });
  const { dataset, result, location, notes, bytes } = value;
  if (typeof dataset !== 'string' || dataset.trim() === '') return bad({ problem: 'line.missing', field: 'dataset' });
  const started = checkTimestamp('startedAt', value.startedAt);
  if (!started.ok) return bad(started.why);
  const finished = checkTimestamp('finishedAt', value.finishedAt);
  if (!finished.ok) return bad(finished.why);
  const startedAt = started.iso;
  const finishedAt = finished.iso;
  if (!(DRILL_RESULTS as readonly unknown[]).includes(result)) {
    return bad({ problem: 'line.result', got: JSON.stringify(result) ?? 'undefined' });
  }
  if (location !== undefined && typeof location !== 'string')
    return bad({ problem: 'line.not-string', field: 'location' });
  if (notes !== undefined && typeof notes !== 'string') return bad({ problem: 'line.not-string', field: 'notes' });
  if (bytes !== undefined && !(typeof bytes === 'number' && Number.isSafeInteger(bytes) && bytes > 0)) {
    return bad({ problem: 'line.drill-bytes', got: JSON.stringify(bytes) });
  }
  if (finishedAt < startedAt) {
    return { code: 'B321_DRILL_TIMES', ...refused({ problem: 'line.drill-times', finishedAt, startedAt }) };
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
const DRILL_LOG: LogKind = { target: 'target.drill-log', missingCode: 'B321_DRILL_LOG_MISSING' };

/**
 * `clock`: the run's clock and the policy's clockSkew. A drill finishing further ahead is read (the
 * restore-drill check ignores it) and warned once (B321_FUTURE_TIME): a year typed wrong would
 * otherwise be ignored without a word, and the drill the operator meant would be missing.
 */
export async function readDrillLog(
  path: string | undefined,
  clock: LogClock,
  read: (path: string) => Promise<string> = (file) => readFile(file, 'utf8'),
): Promise<DrillLog> {
  if (path === undefined) return { configured: false, readable: false, records: [], issues: [] };
  let text: string;
  try {
    text = await read(path);
  } catch (error) {
    // A log on a mount that stopped answering: the reader says so with its issue.
    if (error instanceof NotAnsweringIssue)
      return { configured: true, readable: false, records: [], issues: [error.issue] };
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
  const issues: SourceIssue[] = parsed.bad.map(({ line, why }) => skipped('B321_BAD_LINE', path, line, why));
  const records: DrillRecord[] = [];
  for (const { line, value } of parsed.records) {
    const checked = checkDrillRecord(value);
    if (checked.ok) {
      records.push({ ...checked.record, ref: `${path}:${line}` });
      const { finishedAt, dataset } = checked.record;
      if (isFutureDated(Date.parse(finishedAt), clock)) {
        const params = {
          when: 'future.finished-at',
          means: 'future.drill',
          ...futureParams(finishedAt, clock),
        } as const;
        issues.push(sourceIssue('B321_FUTURE_TIME', params, { severity: 'warning', path, line, dataset }));
      }
    } else issues.push(skipped(checked.code, path, line, checked.why, value.dataset));
  }
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { configured: true, readable: true, records, issues };
}

function skipped(
  code: 'B321_BAD_LINE' | 'B321_DRILL_TIMES',
  path: string,
  line: number,
  why: Problem,
  dataset?: unknown,
): SourceIssue {
  const named = typeof dataset === 'string' && dataset !== '' ? dataset : undefined;
  return sourceIssue(code, why, { severity: 'warning', path, line, dataset: named });
}
