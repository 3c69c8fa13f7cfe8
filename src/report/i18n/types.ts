// The shape every report-language catalog has, so a missing string is a type error rather than a blank in a report.
import type { IssueCode, PhraseKey } from '../../codes.js';
import type { Lang } from '../../lang.js';
import type { CheckCode, CheckStatus, MediumClass, SourceState, Verdict } from '../../model.js';

export { LANGS, type Lang } from '../../lang.js';

/**
 * The `${check}.${reason}` codes the policy emits and the catalogs translate. The policy may emit more:
 * findingMessage() then falls back to the English message the policy wrote, so neither side can break the other.
 */
export const FINDING_KEYS = [
  'copies.ok',
  'copies.too-few',
  'copies.not-required',
  'copies.source-unreadable',
  'media.ok',
  'media.too-few',
  'media.not-required',
  'media.source-unreadable',
  'offline.ok',
  'offline.too-few',
  'offline.not-required',
  'offline.source-unreadable',
  'offline.no-offline-location',
  'offline.attached-now',
  'offline.attachment-unknown',
  'freshness.ok',
  'freshness.stale',
  'freshness.no-copies',
  'freshness.offline-stale',
  'freshness.source-unreadable',
  'freshness.future-timestamp',
  'freshness.future-only',
  'integrity.ok',
  'integrity.corrupt',
  'integrity.conflict',
  'integrity.unverified',
  'integrity.not-read-recently',
  'integrity.unreadable',
  'integrity.no-copies',
  'integrity.source-unreadable',
  'integrity.content-changed',
  'restore-time.ok',
  'restore-time.too-slow',
  'restore-time.no-throughput',
  'restore-time.no-usable-copy',
  'restore-time.not-implemented',
  'restore-time.source-unreadable',
  'restore-drill.ok',
  'restore-drill.too-slow',
  'restore-drill.failed',
  'restore-drill.stale',
  'restore-drill.none',
  'restore-drill.not-required',
  'restore-drill.not-implemented',
  'restore-drill.log-unreadable',
] as const;
export type FindingKey = (typeof FINDING_KEYS)[number];

/** Reason codes policy puts in CopyAssessment.notes and EvidenceItem.note. */
export const COPY_NOTES = [
  'stale',
  'corrupt',
  'outvoted',
  'unreadable',
  'vanished',
  'lock-compliance',
  'lock-governance',
  'lock-ending',
  'lock-expired',
  'legal-hold-only',
  'conflict',
  'primary',
  'hash-failed',
  'unverified',
  'declared-only',
  'read-too-long-ago',
  'read-in-future',
  'same-device',
  'attached-now',
  'not-offline',
  'state-written',
  'state-online',
  'state-verified',
  'attachment-unknown',
  // Notes for findings of the audit fixes (issue 25).
  'future-timestamp',
  'content-changed',
  // How a copy's content was checked, and why it could not be hashed (evidence items, checksum cells).
  'hashed',
  'media-verified',
  'not-read-back',
  'verified',
  'sidecar',
  'manifest',
  's3-checksum',
  'media-log',
  'etag-md5',
  'changed-while-hashing',
  'aborted',
  'archived-not-restored',
  'content-mismatch',
  'object-lock',
  // Notes the policy also puts in evidence items.
  'offline',
  'newest',
  'newest-offline',
  'no-throughput',
  'lock-not-counted',
] as const;
export type CopyNote = (typeof COPY_NOTES)[number];

/**
 * Terms of the restore-time arithmetic (Finding.evidence.arithmetic keys), so an auditor reads "transfer = 5s",
 * not a field name. Keys the policy adds later are shown as they are.
 */
export const ARITHMETIC_TERMS = [
  'copy',
  'bytes',
  'throughputBytesPerSec',
  'throughputSource',
  'retrievalMs',
  'retrievalNote',
  'transferMs',
  'overheadMs',
  'totalMs',
  'rtoMs',
  'configured',
  'measured',
  'vault transport / loading',
  'modelMs',
  'drill',
  'drillMs',
  'drillBytes',
  'drillScaledMs',
  'basis',
  'model',
] as const;
export type ArithmeticTerm = (typeof ARITHMETIC_TERMS)[number];

/** Labels and headings the renderers use. */
export const UI_KEYS = [
  'title',
  'agent',
  'host',
  'startedAt',
  'reportId',
  'overall',
  'exitCode',
  'deepRun',
  'scrubRun',
  'datasets',
  'dataset',
  'verdict',
  'check',
  'status',
  'message',
  'reason',
  'evidence',
  'counted',
  'notCounted',
  'unreadableLocations',
  'calculation',
  'drill',
  'copies',
  'noCopies',
  'location',
  'name',
  'path',
  'size',
  'age',
  'modified',
  'medium',
  'device',
  'sha256',
  'unverified',
  'offline',
  'immutable',
  'notes',
  'notCountedBecause',
  'sources',
  'type',
  'issues',
  'none',
  'duration',
  'facts',
  'drillLog',
  'notConfigured',
  'summary',
  'totalCopies',
  'sourcesUnreadable',
  'policy',
  'minCopies',
  'minMedia',
  'minOffline',
  'rpo',
  'rto',
  'offlineMaxAge',
  'drillMaxAge',
  'verifyMaxAge',
  'offlineVerifyMaxAge',
  'countPrimary',
  'immutableCountsAsOffline',
  'restoreOverhead',
  'clockSkew',
  'dataTime',
  'previousSha256',
  'hashedAt',
  'readAt',
  'operatorVerifiedAt',
  'yes',
  'no',
  'severity.warning',
  'severity.error',
] as const;
export type UiKey = (typeof UI_KEYS)[number];

/** Things counted in running text ("1 copy", "2 copies"); a language without plurals gives one word for both. */
export const COUNTED_THINGS = ['copies', 'records', 'datasets', 'runs'] as const;
export type CountedThing = (typeof COUNTED_THINGS)[number];

/**
 * Duration units with an {n} placeholder ("{n}d", "{n} ngày"), and the words for a duration too short to
 * count in seconds: a restore estimate of "1ms" claimed a precision nothing here measures.
 */
export interface DurationWords {
  d: string;
  h: string;
  m: string;
  s: string;
  zero: string;
  underSecond: string;
}

export interface Catalog {
  lang: Lang;
  verdicts: Record<Verdict, string>;
  statuses: Record<CheckStatus, string>;
  checks: Record<CheckCode, string>;
  media: Record<MediumClass, string>;
  sourceStates: Record<SourceState, string>;
  /** Templates with {param} placeholders; see formatParam() for how values are shown. */
  findings: Record<FindingKey, string>;
  notes: Record<CopyNote, string>;
  /** Names of arithmetic terms, and the words for their string values ("configured", "measured"). */
  terms: Record<ArithmeticTerm, string>;
  ui: Record<UiKey, string>;
  durations: DurationWords;
  counts: Record<CountedThing, { one: string; other: string }>;
  /**
   * Source issue messages by code, with the {param} placeholders of the code's English template in
   * src/codes.ts (the registry), and the phrases its phrase params name. Values are shown as they are.
   */
  issues: Record<IssueCode, string>;
  phrases: Record<PhraseKey, string>;
}
