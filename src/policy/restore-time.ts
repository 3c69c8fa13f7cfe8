// `restore-time`: the fastest restore of the newest usable backup (retrieval + size ÷ throughput + overhead) is within the RTO.
import type { AssessedCopy } from '../model.js';
import { evidenceFor } from './evidence.js';
import { datasetFacts } from './gather.js';
import type { Check } from './types.js';
import { item, outcome } from './types.js';

export interface RestoreEstimate {
  copy: AssessedCopy;
  retrievalMs: number;
  transferMs: number;
  overheadMs: number;
  totalMs: number;
}

export function estimateRestore(copy: AssessedCopy, overheadMs: number): RestoreEstimate | undefined {
  const rate = copy.restore?.throughputBytesPerSec;
  if (!copy.restore || !rate || rate <= 0) return undefined;
  const transferMs = Math.ceil((copy.bytes / rate) * 1000);
  const retrievalMs = copy.restore.retrievalMs;
  return { copy, retrievalMs, transferMs, overheadMs, totalMs: retrievalMs + transferMs + overheadMs };
}

export const checkRestoreTime: Check = (input, copies) => {
  const { rtoMs, restoreOverheadMs } = input.policy;
  const { usable, newestUsableBackup: latest } = datasetFacts(copies);
  if (!latest) return outcome('restore-time', 'fail', 'no-usable-copy', { rtoMs });
  // What a restore brings back is the newest backup; any copy of that restore point will do.
  // (The restore point's key compared field by field: a key string per copy was 200k strings for nothing.)
  const restorePoint = usable.filter(
    (copy) => copy.role === 'backup' && copy.name === latest.name && copy.bytes === latest.bytes,
  );
  const estimates: RestoreEstimate[] = [];
  const withoutRate: AssessedCopy[] = [];
  for (let i = 0; i < restorePoint.length; i++) {
    const copy = restorePoint[i] as AssessedCopy;
    const estimate = estimateRestore(copy, restoreOverheadMs);
    if (estimate) estimates.push(estimate);
    else withoutRate.push(copy);
  }
  estimates.sort((a, b) => a.totalMs - b.totalMs);
  const best = estimates[0];
  if (!best) {
    return outcome(
      'restore-time',
      'unknown',
      'no-throughput',
      { rtoMs },
      { notCounted: evidenceFor(withoutRate, 'no-throughput') },
    );
  }
  const arithmetic = {
    copy: best.copy.id,
    bytes: best.copy.bytes,
    throughputBytesPerSec: best.copy.restore?.throughputBytesPerSec ?? 0,
    throughputSource: best.copy.restore?.throughputSource ?? 'configured',
    retrievalMs: best.retrievalMs,
    retrievalNote: best.copy.restore?.retrievalNote ?? '',
    transferMs: best.transferMs,
    overheadMs: best.overheadMs,
    totalMs: best.totalMs,
    rtoMs,
  };
  const evidence = {
    counted: estimates.map((e) => item(e.copy, `${e.totalMs}ms`)),
    notCounted: evidenceFor(withoutRate, 'no-throughput'),
    arithmetic,
  };
  const params = { estimateMs: best.totalMs, rtoMs, copy: best.copy.id };
  return best.totalMs <= rtoMs
    ? outcome('restore-time', 'pass', 'ok', params, evidence)
    : outcome('restore-time', 'fail', 'too-slow', params, evidence);
};
