// When each copy's data was made, and which copies are dated ahead of the run's clock.
import type { Copy } from '../model.js';

export interface CopyTimes {
  /** Per copy (in the list's order): when its data was made, epoch ms. */
  readonly dataMs: Float64Array;
  /** Per copy: 1 when its time lies more than the clock skew ahead of the run's clock. */
  readonly future: Uint8Array;
}

/** The sha256 a copy holds or is recorded to hold; an ETag MD5 is not one. */
export function contentSha256(copy: Copy): string | undefined {
  if (copy.sha256) return copy.sha256;
  return copy.recorded && copy.recorded.source !== 'etag-md5' ? copy.recorded.value : undefined;
}

/**
 * A copy's data is as old as the oldest copy known to hold the same bytes: a 16-day-old dump copied
 * to a USB disk today is 16 days old, not a few seconds. So a copy's data time is the earliest of its
 * own time (modifiedAt, or the source's dataTime where it knows one) over every backup with the same
 * sha256. Future-dated times take no part: a clock typo must not make other copies look older or newer.
 * The production data (role primary) takes no part either: matching it says the backup is current.
 */
export function copyTimes(copies: readonly Copy[], nowMs: number, clockSkewMs: number): CopyTimes {
  const dataMs = new Float64Array(copies.length);
  const future = new Uint8Array(copies.length);
  const limit = nowMs + clockSkewMs;
  const earliest = new Map<string, number>();
  // Copies written by one job share their time's text: parse it once per run of equal texts.
  let lastText = '';
  let lastMs = Number.NaN;
  const parse = (text: string): number => {
    if (text !== lastText) {
      lastText = text;
      lastMs = Date.parse(text);
    }
    return lastMs;
  };
  let shared = false;
  for (let i = 0; i < copies.length; i++) {
    const copy = copies[i] as Copy;
    const modifiedMs = parse(copy.modifiedAt);
    const ownMs = copy.dataTime === undefined ? modifiedMs : Math.min(modifiedMs, Date.parse(copy.dataTime));
    dataMs[i] = ownMs;
    if (modifiedMs > limit || ownMs > limit) {
      future[i] = 1;
      continue;
    }
    if (copy.role !== 'backup') continue;
    const sha = contentSha256(copy);
    if (sha === undefined) continue;
    const earliestMs = earliest.get(sha);
    if (earliestMs === undefined) earliest.set(sha, ownMs);
    else {
      shared = true;
      if (ownMs < earliestMs) earliest.set(sha, ownMs);
    }
  }
  // Most datasets hold each content once: no second look then.
  if (shared) {
    for (let i = 0; i < copies.length; i++) {
      const copy = copies[i] as Copy;
      if (future[i] === 1 || copy.role !== 'backup') continue;
      const sha = contentSha256(copy);
      const earliestMs = sha === undefined ? undefined : earliest.get(sha);
      if (earliestMs !== undefined && earliestMs < (dataMs[i] as number)) dataMs[i] = earliestMs;
    }
  }
  return { dataMs, future };
}
