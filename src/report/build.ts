// Builds the report document from evaluations: pure (ids and times are passed in), so it can be sent as is.
import type { DatasetConfig } from '../config/types.js';
import type {
  DatasetReport,
  DrillLog,
  EffectivePolicy,
  Finding,
  HostFacts,
  LocationStatus,
  Report,
  ReportSummary,
  ScrubFacts,
} from '../model.js';
import { REPORT_SCHEMA_VERSION } from '../report-schema/words.js';
import { exitCodeFor, overallVerdict, type DatasetEvaluation } from '../policy/evaluate.js';
import type { Outcome } from '../policy/types.js';

export interface ReportInput {
  reportId: string;
  /** When the run started: the report's `generatedAt`, and the clock reading its policy judged by. */
  startedAt: Date;
  productVersion: string;
  agentId: string;
  host: HostFacts;
  deep: boolean;
  /** What a run with a budget (verify --deep --budget) read again. */
  scrub?: ScrubFacts | undefined;
  datasetsSelected: string[] | null;
  durationMs: number;
  policy: EffectivePolicy;
  datasets: Array<{
    config: DatasetConfig;
    locations: string[];
    evaluation: DatasetEvaluation;
  }>;
  sources: LocationStatus[];
  drills: DrillLog;
  /** English message for a finding (the i18n catalog), so JSON readers get a sentence too. */
  message: (finding: Outcome) => string;
}

export function buildReport(input: ReportInput): Report {
  const datasets: DatasetReport[] = input.datasets.map(({ config, locations, evaluation }) => ({
    id: config.id,
    ...(config.description ? { description: config.description } : {}),
    verdict: evaluation.verdict,
    policy: config.policy,
    findings: evaluation.outcomes.map((outcome): Finding => ({ ...outcome, message: input.message(outcome) })),
    copies: evaluation.copies,
    locations,
  }));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    reportId: input.reportId,
    generatedAt: input.startedAt.toISOString(),
    product: { name: 'backup321', version: input.productVersion },
    agent: { id: input.agentId, host: input.host },
    run: {
      deep: input.deep,
      datasetsSelected: input.datasetsSelected,
      durationMs: input.durationMs,
      ...(input.scrub ? { scrub: input.scrub } : {}),
    },
    policy: input.policy,
    datasets,
    sources: input.sources,
    drills: {
      configured: input.drills.configured,
      readable: input.drills.readable,
      records: input.drills.records.length,
      issues: input.drills.issues,
    },
    summary: summarize(datasets, input.sources),
  };
}

export function summarize(datasets: DatasetReport[], sources: LocationStatus[]): ReportSummary {
  const verdict = overallVerdict(datasets.map((d) => d.verdict));
  const count = (v: DatasetReport['verdict']) => datasets.filter((d) => d.verdict === v).length;
  return {
    verdict,
    exitCode: exitCodeFor(verdict),
    datasets: datasets.length,
    compliant: count('compliant'),
    atRisk: count('at-risk'),
    nonCompliant: count('non-compliant'),
    unknown: count('unknown'),
    copies: datasets.reduce((sum, d) => sum + d.copies.length, 0),
    sourcesUnreadable: sources.filter((s) => s.status === 'unreadable').length,
  };
}
