// The domain types shared by sources, policy, report and sinks: the report's parts, derived from its
// schema (src/report-schema/), and what the process holds besides the report (source results, drills).
import type * as Schema from './report-schema/types.js';
import type { CHECK_CODES, LOCATION_TYPES, MEDIUM_CLASSES } from './report-schema/words.js';

export type MediumClass = (typeof MEDIUM_CLASSES)[number];
export type LocationType = (typeof LOCATION_TYPES)[number];
export type CheckCode = (typeof CHECK_CODES)[number];

export type Report = Schema.Report;
export type DatasetReport = Schema.DatasetReport;
export type Verdict = DatasetReport['verdict'];
export type ReportSummary = Schema.ReportSummary;
/** What `verify --deep --budget` read again (the report's `run.scrub`). */
export type ScrubFacts = NonNullable<Report['run']['scrub']>;
export type HostFacts = Schema.HostFacts;
/** Policy values after defaults and per-dataset overrides; durations in milliseconds. */
export type EffectivePolicy = Schema.EffectivePolicy;

export type Finding = Schema.Finding;
export type CheckStatus = Finding['status'];
export type EvidenceItem = Schema.EvidenceItem;
export type LazyEvidence = Schema.LazyEvidence;
export type EvidenceList = Schema.EvidenceList;

/** A copy with what policy concluded about it before the checks counted it. */
export type AssessedCopy = Schema.AssessedCopy;
/** One backup artefact of a dataset at a location, as its source found it. */
export type Copy = Omit<AssessedCopy, 'assessment'>;
export type CopyAssessment = AssessedCopy['assessment'];
export type RecordedChecksum = NonNullable<Copy['recorded']>;
/** Where a recorded (expected) checksum came from. */
export type RecordedChecksumSource = RecordedChecksum['source'];
/** Content found changed behind the filesystem's back: the earlier hash and when it was read. */
export type ContentChange = NonNullable<Copy['contentChanged']>;
export type Immutability = NonNullable<Copy['immutable']>;
export type RestorePath = NonNullable<Copy['restore']>;

/** A problem a source met: reported, never fatal to the run. */
export type SourceIssue = Schema.SourceIssue;
export type LocationStatus = Schema.LocationStatus;
export type SourceState = LocationStatus['status'];

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
