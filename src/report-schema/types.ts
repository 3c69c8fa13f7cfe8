// The report's types, derived from its schema: as a JSON reader gets them, and as the process holds them.
import type { FromSchema } from 'json-schema-to-ts';
import type { IssueCode } from '../codes.js';
import type { reportSchema } from './schema.js';
import type { summaryReportSchema } from './summary-report.js';

type Definitions = (typeof reportSchema)['definitions'];

/** Where the process holds more than the JSON says: the registry's codes, and evidence lists made when read. */
type InMemory = {
  deserialize: [
    { pattern: { type: 'string'; pattern: '^B321_[A-Z0-9_]+$' }; output: IssueCode },
    { pattern: { type: 'array'; items: { $ref: '#/definitions/evidenceItem' } }; output: EvidenceList },
  ];
};

/** One definition of the report schema, its references resolved against the others. */
type Defined<Name extends keyof Definitions & string> = FromSchema<
  { $ref: `#/definitions/${Name}`; definitions: Definitions },
  InMemory
>;

/** The report document as JSON gives it (JSON.parse of `verify --format json`). */
export type ReportDocument = FromSchema<typeof reportSchema>;

/** The report document as the process builds it: what renderers read and the JSON is written from. */
export type Report = FromSchema<typeof reportSchema, InMemory>;

export type EvidenceItem = FromSchema<{ $ref: '#/definitions/evidenceItem'; definitions: Definitions }>;

/**
 * A list of evidence items that makes them when it is read (iterated, or written as JSON), from the
 * copies it was given. Policy gives the lists that name every copy of a dataset this way: as objects,
 * their items would outlive the evaluation until the report is written. Only iteration and JSON give
 * the items: a report leaves the process as JSON (the schema describes that form, with arrays);
 * `structuredClone` or `postMessage` of the object would carry none of them.
 */
export interface LazyEvidence extends Iterable<EvidenceItem> {
  readonly length: number;
  toJSON(): EvidenceItem[];
}

/** A finding's evidence about copies: plain items (as a report read back from JSON has them), or made when read. */
export type EvidenceList = readonly EvidenceItem[] | LazyEvidence;

export type HostFacts = Defined<'hostFacts'>;
export type EffectivePolicy = Defined<'effectivePolicy'>;
export type Finding = Defined<'finding'>;
export type AssessedCopy = Defined<'copy'>;
export type DatasetReport = Defined<'datasetReport'>;
export type SourceIssue = Defined<'sourceIssue'>;
export type LocationStatus = Defined<'locationStatus'>;
export type ReportSummary = Defined<'summary'>;

/** The summary report an agent sends (summary-report.ts), as JSON gives it. */
export type SummaryReport = FromSchema<typeof summaryReportSchema>;
