// The domain types shared by sources, policy, report and sinks (see shared/DESIGN.md "Domain words").
import type { IssueCode } from './codes.js';

export const MEDIUM_CLASSES = ['disk', 'removable-disk', 'network-share', 'object-storage', 'tape', 'optical'] as const;
export type MediumClass = (typeof MEDIUM_CLASSES)[number];

export const LOCATION_TYPES = ['disk', 's3', 'offline-log'] as const;
export type LocationType = (typeof LOCATION_TYPES)[number];

export const CHECK_CODES = [
  'copies',
  'media',
  'offline',
  'freshness',
  'integrity',
  'restore-time',
  'restore-drill',
] as const;
export type CheckCode = (typeof CHECK_CODES)[number];

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown';
export type Verdict = 'compliant' | 'at-risk' | 'non-compliant' | 'unknown';

/** Where a recorded (expected) checksum came from. */
export type RecordedChecksumSource = 'sidecar' | 'manifest' | 's3-checksum' | 'media-log' | 'etag-md5';

export interface RecordedChecksum {
  /** sha256 hex, lower case (for 'etag-md5' an md5 hex compared only with a local md5). */
  value: string;
  source: RecordedChecksumSource;
  /** The file, object or log line that holds it, e.g. "/backup/erp/x.dump.sha256" or "vault.jsonl:12". */
  ref: string;
  /** When the recording was made or last confirmed (a media-log `verified` event), ISO 8601. */
  at?: string;
}

/** Content found changed behind the filesystem's back: the earlier hash and when it was read. */
export interface ContentChange {
  previousSha256: string;
  previousHashedAt: string;
  /** When a re-read found the new content (the copy's sha256 and hashedAt hold it). */
  detectedAt: string;
}

/** Object Lock (or any WORM) retention as read from the store; policy decides whether it is active now. */
export interface Immutability {
  mode: 'COMPLIANCE' | 'GOVERNANCE';
  retainUntil: string;
  legalHold?: boolean;
}

/** How this copy would be restored: what the restore-time check adds up. */
export interface RestorePath {
  /** Time before the first byte can be read: vault transport, archive-tier restore, etc. */
  retrievalMs: number;
  /** What retrievalMs is, in words for the report ("S3 GLACIER standard tier: 3–5 h", "vault transport"). */
  retrievalNote?: string;
  /** Bytes per second the copy can be read at; undefined when neither configured nor measured. */
  throughputBytesPerSec?: number;
  throughputSource?: 'configured' | 'measured';
}

/** One backup artefact of a dataset at a location. */
export interface Copy {
  /** Stable id: `${location}:${path}`. */
  id: string;
  dataset: string;
  location: string;
  locationType: LocationType;
  /** Absolute path, `s3://bucket/key`, or `media:<mediaId>/<file>`. */
  path: string;
  /**
   * The restore-point key: copies with the same name in one dataset are meant to hold the same
   * content (a dump replicated to several places keeps its file name).
   */
  name: string;
  kind: 'file' | 'directory' | 'object' | 'media-file';
  /** `backup` copies count; `primary` (the production data itself) only with policy.countPrimary. */
  role: 'backup' | 'primary';
  bytes: number;
  /** When the backup was made: mtime, LastModified, or the media log's `written` time. ISO 8601. */
  modifiedAt: string;
  /**
   * When the data in the copy was made, where the source knows it apart from modifiedAt: the media
   * log's `dataTime` (the source file's mtime when it was written to the media). ISO 8601.
   */
  dataTime?: string;
  medium: MediumClass;
  /** The failure domain: disk serial/UUID, NAS export, S3 endpoint (AWS region) or configured domain, media id. */
  device: string;
  /** True only for copies on media that are offline now (logged offline and not attached). */
  offline: boolean;
  /** Why a copy on offline-capable media does not count as offline now (reason code). */
  offlineReason?: string;
  immutable?: Immutability;
  /** sha256 of the content as read by this product (now or from the checksum cache). */
  sha256?: string;
  /** When sha256 was computed (the cache keeps the original time). */
  hashedAt?: string;
  /** Why the content could not be hashed, if it could not (reason code, e.g. "changed-while-hashing"). */
  hashError?: string;
  /**
   * The bytes changed while size and mtime did not, whatever the ctime (bit rot, or a write that reset
   * the mtime): what the content hashed to before, when, and when the change was found. Kept while the
   * file still holds those bytes (a touch or chmod does not clear it; new content or a new file does).
   */
  contentChanged?: ContentChange;
  /** What the copy is recorded to hold: a sidecar, manifest, S3 checksum or media log. */
  recorded?: RecordedChecksum;
  restore?: RestorePath;
  /** Object storage only. */
  storageClass?: string;
}

/** A problem a source met: reported, never fatal to the run. */
export interface SourceIssue {
  severity: 'warning' | 'error';
  /** Stable code from the registry (src/codes.ts), e.g. "B321_EACCES", "B321_NO_MATCH", "B321_BAD_LINE". */
  code: IssueCode;
  /** English, filled from the code's template with `params` (src/issues.ts). */
  message: string;
  /** What the message was filled with, so a report renders it in its language; absent in older reports. */
  params?: Record<string, string | number>;
  /** The dataset the issue affects; absent when it affects the whole location. */
  dataset?: string;
  path?: string;
  line?: number;
}

/**
 * ok: read completely; degraded: read with warnings (some entries skipped);
 * unreadable: not read for the whole location or for some datasets (see issues with severity error).
 */
export type SourceState = 'ok' | 'degraded' | 'unreadable';

export interface LocationStatus {
  id: string;
  type: LocationType;
  status: SourceState;
  copies: number;
  issues: SourceIssue[];
  /** Facts about the location useful as audit evidence (mount, fs type, medium, bucket region …). */
  facts: Record<string, string | number | boolean>;
  durationMs: number;
}

export interface SourceResult {
  copies: Copy[];
  status: LocationStatus;
}

export interface DrillRecord {
  dataset: string;
  startedAt: string;
  finishedAt: string;
  result: 'success' | 'failure';
  location?: string;
  notes?: string;
  /** Bytes the drill restored, where logged: lets the restore-time estimate scale the drill to today's copy. */
  bytes?: number;
  /** "file:line" of the record, for the report's evidence. */
  ref: string;
}

/** The drill log as read: records plus problems; `configured: false` when no log is configured. */
export interface DrillLog {
  configured: boolean;
  readable: boolean;
  records: DrillRecord[];
  issues: SourceIssue[];
}

/** Policy values after defaults and per-dataset overrides; durations in milliseconds. */
export interface EffectivePolicy {
  minCopies: number;
  minMedia: number;
  minOffline: number;
  rpoMs: number;
  rtoMs: number;
  offlineMaxAgeMs: number;
  drillMaxAgeMs: number;
  countPrimary: boolean;
  immutableCountsAsOffline: boolean;
  /** Fixed time added to every restore estimate (reinstalling the service, replaying logs …). */
  restoreOverheadMs: number;
  /** An immutable copy counts only while retain-until is at least this far in the future. */
  immutableHorizonMs: number;
  /**
   * How far ahead of the run's clock a time may lie (other machines' clocks run a little ahead):
   * a copy, media event or drill dated further ahead is future-dated, never fresh.
   */
  clockSkewMs: number;
}

/** Evidence about one copy inside a finding. */
export interface EvidenceItem {
  copy: string;
  /** Reason code ("stale", "corrupt", "same-device", "attached-now" …), or a note. */
  note?: string;
}

/**
 * A list of evidence items that makes them when it is read (iterated, or written as JSON), from the
 * copies it was given. Policy gives the lists that name every copy of a dataset this way: as objects,
 * their items would outlive the evaluation until the report is written.
 * Only iteration and JSON give the items: a report leaves the process as JSON (the schema describes
 * that form, with arrays); `structuredClone` or `postMessage` of the object would carry none of them.
 */
export interface LazyEvidence extends Iterable<EvidenceItem> {
  readonly length: number;
  toJSON(): EvidenceItem[];
}

/** A finding's evidence about copies: plain items (as a report read back from JSON has them), or made when read. */
export type EvidenceList = readonly EvidenceItem[] | LazyEvidence;

export interface Finding {
  check: CheckCode;
  status: CheckStatus;
  /** Stable reason code within the check, e.g. "too-few", "not-required", "source-unreadable". */
  reason: string;
  /** Values for the message templates (numbers, ids, durations in ms). */
  params: Record<string, string | number>;
  /** The one-line English message (renderers translate from reason + params). */
  message: string;
  evidence: {
    counted?: EvidenceList;
    notCounted?: EvidenceList;
    /** restore-time: the arithmetic, each term in ms or bytes. */
    arithmetic?: Record<string, string | number>;
    /** Location ids that could not be read and so left the check undecided. */
    unreadable?: string[];
    drill?: string;
  };
}

/** What policy concluded about one copy before the checks counted it. */
export interface CopyAssessment {
  usable: boolean;
  /** Reason codes: "stale", "corrupt", "conflict", "primary", "hash-failed", "future-timestamp" … */
  notes: string[];
  /** Age of the copy's data at the run's time (now − dataTime), in ms; negative for a future-dated copy. */
  ageMs: number;
  /**
   * When the copy's data was made, where it is earlier than its modifiedAt: the earliest time known
   * for the same content (same sha256) across the dataset's copies, or the source's dataTime.
   */
  dataTime?: string;
}

export type AssessedCopy = Copy & { assessment: CopyAssessment };

export interface DatasetReport {
  id: string;
  description?: string;
  verdict: Verdict;
  policy: EffectivePolicy;
  findings: Finding[];
  copies: AssessedCopy[];
  /** Location ids the dataset maps copies to. */
  locations: string[];
}

export interface HostFacts {
  hostname: string;
  os: string;
  kernel: string;
  arch: string;
  nodeVersion: string;
}

export interface ReportSummary {
  verdict: Verdict;
  exitCode: 0 | 1 | 2 | 3;
  datasets: number;
  compliant: number;
  atRisk: number;
  nonCompliant: number;
  unknown: number;
  copies: number;
  sourcesUnreadable: number;
}

export const REPORT_SCHEMA_VERSION = 1;

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  reportId: string;
  generatedAt: string;
  product: { name: 'backup321'; version: string };
  agent: { id: string; host: HostFacts };
  run: { deep: boolean; datasetsSelected: string[] | null; durationMs: number };
  policy: EffectivePolicy;
  datasets: DatasetReport[];
  sources: LocationStatus[];
  drills: { configured: boolean; readable: boolean; records: number; issues: SourceIssue[] };
  summary: ReportSummary;
}
