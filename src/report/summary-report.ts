// The summary report: the report an agent sends, without its copy list and with each finding's
// evidence cut to a few copies (totals beside them), so its size does not grow with the estate.
import { createHash } from 'node:crypto';
import type { AssessedCopy, DatasetReport, EvidenceItem, Finding, Report, SourceIssue } from '../model.js';
import {
  SUMMARY_EVIDENCE_ITEMS,
  SUMMARY_ISSUES,
  SUMMARY_SCHEMA_VERSION,
  type TRIGGERS,
} from '../report-schema/summary-report.js';
import type { SummaryReport } from '../report-schema/types.js';

export type Trigger = (typeof TRIGGERS)[number];

/** What the summary says that the report does not know: who sent it, in which sequence, and why. */
export interface SummaryContext {
  instanceId: string;
  /** null for a run outside the agent's sequence (`verify` by hand). */
  seq: number | null;
  trigger: Trigger;
  finishedAt: Date;
  nextRunAt: Date | null;
  /** `sha256:…` of the resolved config (config/digest.ts). */
  configDigest: string;
  /** What the agent's outbox dropped unsent since its last report that said so; absent outside the agent. */
  delivery?: { droppedReports: number; firstDroppedSeq: number | null; lastDroppedSeq: number | null };
}

export function buildSummaryReport(report: Report, context: SummaryContext): SummaryReport {
  return {
    kind: 'summary',
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    reportId: report.reportId,
    product: report.product,
    agent: { id: report.agent.id, instanceId: context.instanceId, host: report.agent.host },
    seq: context.seq,
    trigger: context.trigger,
    startedAt: report.generatedAt,
    finishedAt: context.finishedAt.toISOString(),
    nextRunAt: context.nextRunAt ? context.nextRunAt.toISOString() : null,
    configDigest: context.configDigest,
    inventoryDigest: inventoryDigest(report),
    run: report.run,
    policy: report.policy,
    datasets: report.datasets.map(summaryDataset),
    sources: report.sources.map((source) => ({
      id: source.id,
      type: source.type,
      status: source.status,
      copies: source.copies,
      issues: firstIssues(source.issues),
      issuesTotal: source.issues.length,
      durationMs: source.durationMs,
    })),
    drills: {
      configured: report.drills.configured,
      readable: report.drills.readable,
      records: report.drills.records,
      issues: firstIssues(report.drills.issues),
      issuesTotal: report.drills.issues.length,
    },
    summary: report.summary,
    ...(context.delivery ? { delivery: context.delivery } : {}),
  };
}

/**
 * sha256 over the copy list sorted by copy id, one line per copy (id, bytes, modification time, sha256):
 * equal digests mean the agent saw the same copies, whatever order its threads found them in.
 */
export function inventoryDigest(report: Report): string {
  const copies: AssessedCopy[] = [];
  for (const dataset of report.datasets) for (const copy of dataset.copies) copies.push(copy);
  copies.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.dataset < b.dataset ? -1 : 1));
  const hash = createHash('sha256');
  for (const copy of copies) {
    hash.update(`${copy.dataset}\t${copy.id}\t${copy.bytes}\t${copy.modifiedAt}\t${copy.sha256 ?? ''}\n`);
  }
  return `sha256:${hash.digest('hex')}`;
}

function summaryDataset(dataset: DatasetReport) {
  const usable = dataset.copies.filter((copy) => copy.assessment.usable);
  const finding = (check: Finding['check']) => dataset.findings.find((f) => f.check === check);
  /** What the check counted, as it says; where it does not say (not required, undecided), counted here. */
  const counted = (check: Finding['check'], fallback: () => number): number => {
    const have = finding(check)?.params.have;
    return typeof have === 'number' ? have : fallback();
  };
  let newest: string | null = null;
  for (const copy of usable) {
    const time = copy.assessment.dataTime ?? copy.modifiedAt;
    if (newest === null || time > newest) newest = time;
  }
  const estimate = finding('restore-time')?.params.estimateMs;
  return {
    id: dataset.id,
    verdict: dataset.verdict,
    counts: {
      copies: dataset.copies.length,
      usable: usable.length,
      devices: counted('copies', () => new Set(usable.map((c) => c.device)).size),
      media: counted('media', () => new Set(usable.map((c) => c.medium)).size),
      offline: counted('offline', () => usable.filter((c) => c.offline).length),
    },
    newestCopyAt: newest,
    restoreEstimateMs: typeof estimate === 'number' ? estimate : null,
    rtoMs: dataset.policy.rtoMs,
    findings: dataset.findings.map(summaryFinding),
  };
}

/**
 * At most SUMMARY_EVIDENCE_ITEMS copies per finding: half for those not counted (what an auditor asks
 * about first), half for those counted, and either half's room to the other when it needs less.
 */
function summaryFinding(finding: Finding) {
  const { counted = [], notCounted = [], ...rest } = finding.evidence;
  const half = SUMMARY_EVIDENCE_ITEMS / 2;
  const notCountedKept = Math.min(notCounted.length, Math.max(half, SUMMARY_EVIDENCE_ITEMS - counted.length));
  const countedKept = Math.min(counted.length, SUMMARY_EVIDENCE_ITEMS - notCountedKept);
  const evidence: Record<string, unknown> = { ...rest };
  if (finding.evidence.counted) evidence.counted = first(counted, countedKept);
  if (finding.evidence.notCounted) evidence.notCounted = first(notCounted, notCountedKept);
  return {
    check: finding.check,
    status: finding.status,
    reason: finding.reason,
    params: finding.params,
    message: finding.message,
    evidence,
    evidenceTotals: { counted: counted.length, notCounted: notCounted.length },
  };
}

/** The first n items of a list that may make its items when read (LazyEvidence): only n are made. */
function first(items: Iterable<EvidenceItem>, n: number): EvidenceItem[] {
  const kept: EvidenceItem[] = [];
  if (n <= 0) return kept;
  for (const item of items) {
    kept.push({ ...item });
    if (kept.length >= n) break;
  }
  return kept;
}

const firstIssues = (issues: readonly SourceIssue[]): SourceIssue[] => issues.slice(0, SUMMARY_ISSUES);
