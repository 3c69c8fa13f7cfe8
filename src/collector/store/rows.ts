// Reading a row the same way from both back ends: PostgreSQL gives Date and parsed JSON, SQLite
// the ISO text and the JSON text. Every time written goes through toIso, so SQLite's text orders as time.
import type { Verdict } from './types.js';

export function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : value;
}

export function isoOrNull(value: Date | string | null): string | null {
  return value === null ? null : iso(value);
}

/** An agent's time as the one form the store writes: "2026-12-06T10:00:05.000Z". */
export function toIso(time: string | Date): string {
  return (typeof time === 'string' ? new Date(time) : time).toISOString();
}

export function fromJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** As `verify` ranks several datasets: the worst wins, non-compliant before unknown before at-risk. */
export const VERDICT_RANK: Record<Verdict, number> = { 'non-compliant': 3, unknown: 2, 'at-risk': 1, compliant: 0 };
const BY_RANK: Verdict[] = ['compliant', 'at-risk', 'unknown', 'non-compliant'];

export function verdictOfRank(rank: number | null): Verdict {
  return rank === null ? 'unknown' : (BY_RANK[rank] ?? 'unknown');
}

/** Instances' missing reports: each one's seq range less the reports that carried a seq (never below 0). */
export function missingIn(minSeq: number | null, maxSeq: number | null, seqReports: number): number {
  if (minSeq === null || maxSeq === null) return 0;
  return Math.max(0, maxSeq - minSeq + 1 - seqReports);
}
