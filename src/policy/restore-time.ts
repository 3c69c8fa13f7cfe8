// `restore-time`: the fastest restore of the newest usable backup is within the RTO, judged by the transfer model and by the latest drill.
import type { AssessedCopy, DrillRecord } from '../model.js';
import { datasetDrills, recentSuccessfulDrills, tookMs } from './drills.js';
import { evidenceFor, item } from './evidence.js';
import { outcome } from './outcome.js';
import type { Check } from './types.js';

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

/** What the latest successful drill says a restore of `bytes` takes. */
export interface DrillEstimate {
  drill: DrillRecord;
  tookMs: number;
  /**
   * The drill's time scaled up to today's size (never down: a restore's fixed costs do not shrink with
   * a smaller copy); the drill's own time when the log has no size.
   */
  scaledMs: number;
}

export function drillEstimate(drill: DrillRecord, bytes: number): DrillEstimate {
  const took = tookMs(drill);
  const factor = drill.bytes && drill.bytes > 0 ? Math.max(1, bytes / drill.bytes) : 1;
  return { drill, tookMs: took, scaledMs: Math.ceil(took * factor) };
}

export const checkRestoreTime: Check = (input, _copies, census) => {
  const { rtoMs, restoreOverheadMs } = input.policy;
  const { usable, newestUsableBackup: latest } = census;
  if (!latest) return outcome('restore-time', 'fail', 'no-usable-copy', { rtoMs });
  // What a restore brings back is the newest backup; any copy of that restore point will do.
  // (The restore point's key compared field by field: no key string per copy.)
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
  // A drill is a restore that was measured: the model may not promise less than it took.
  const drill = recentSuccessfulDrills(input, datasetDrills(input)).at(-1);
  const measured = drill && drillEstimate(drill, latest.bytes);
  const notCounted = evidenceFor(withoutRate, 'no-throughput');
  if (!best && !measured) return outcome('restore-time', 'unknown', 'no-throughput', { rtoMs }, { notCounted });
  const modelMs = best?.totalMs;
  const totalMs = Math.max(modelMs ?? 0, measured?.scaledMs ?? 0);
  const basis = modelMs !== undefined && (!measured || modelMs >= measured.scaledMs) ? 'model' : 'drill';
  const copy = best?.copy ?? latest;
  const arithmetic: Record<string, string | number> = { copy: copy.id, bytes: copy.bytes };
  if (best) {
    Object.assign(arithmetic, {
      throughputBytesPerSec: best.copy.restore?.throughputBytesPerSec ?? 0,
      throughputSource: best.copy.restore?.throughputSource ?? 'configured',
      retrievalMs: best.retrievalMs,
      retrievalNote: best.copy.restore?.retrievalNote ?? '',
      transferMs: best.transferMs,
      overheadMs: best.overheadMs,
      modelMs: best.totalMs,
    });
  }
  if (measured) {
    Object.assign(arithmetic, {
      drill: measured.drill.ref,
      drillMs: measured.tookMs,
      drillScaledMs: measured.scaledMs,
      ...(measured.drill.bytes ? { drillBytes: measured.drill.bytes } : {}),
    });
  }
  Object.assign(arithmetic, { basis, totalMs, rtoMs });
  const evidence = {
    counted: estimates.map((e) => item(e.copy, `${e.totalMs}ms`)),
    notCounted,
    arithmetic,
  };
  const params = { estimateMs: totalMs, rtoMs, copy: copy.id, basis };
  return totalMs <= rtoMs
    ? outcome('restore-time', 'pass', 'ok', params, evidence)
    : outcome('restore-time', 'fail', 'too-slow', params, evidence);
};
