// Real summary reports for the store's tests: the demo estate's, verified once, then given other
// ids, seqs, times and verdicts as a fleet of agents would send them.
import pino from 'pino';
import type { Test } from 'tap';
import { loadConfig } from '../../src/config/load.js';
import { buildDemoEstate } from '../../src/demo/estate.js';
import type { SummaryReport } from '../../src/report-schema/types.js';
import { buildSummaryReport } from '../../src/report/summary-report.js';
import { verify } from '../../src/verify/run.js';
import type { Verdict } from '../../src/collector/store/types.js';

export const T0 = new Date('2026-12-06T10:00:00Z');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export async function demoSummary(dir: string): Promise<SummaryReport> {
  const { configFile } = buildDemoEstate(dir, T0);
  const { report } = await verify({ config: await loadConfig(configFile), logger: pino({ level: 'silent' }) });
  const summary = buildSummaryReport(report, {
    instanceId: 'instance-1',
    seq: 1,
    trigger: 'schedule',
    finishedAt: T0,
    nextRunAt: new Date(T0.getTime() + 15 * MINUTE),
    configDigest: `sha256:${'0'.repeat(64)}`,
  });
  return JSON.parse(JSON.stringify(summary)) as SummaryReport;
}

export interface Variation {
  agentId?: string;
  instanceId?: string;
  seq?: number | null;
  /** Minutes after T0 the run finished (and started one minute before). */
  at?: number;
  reportId?: string;
  /** Every dataset's verdict (and so the report's). */
  verdict?: Verdict;
  /** Only these datasets, as a watch run that judged a few. */
  only?: string[];
  /** A full run with only these datasets (others were taken out of the config). */
  datasets?: string[];
  delivery?: SummaryReport['delivery'];
  hostname?: string;
}

const SEVERITY: Verdict[] = ['compliant', 'at-risk', 'unknown', 'non-compliant'];

/** The base report as another agent, instance, seq, time or verdict would send it. */
export function vary(base: SummaryReport, v: Variation): SummaryReport {
  const report = JSON.parse(JSON.stringify(base)) as SummaryReport;
  const agentId = v.agentId ?? report.agent.id;
  const instanceId = v.instanceId ?? report.agent.instanceId;
  const seq = v.seq === undefined ? report.seq : v.seq;
  const at = v.at ?? 0;
  report.agent = {
    ...report.agent,
    id: agentId,
    instanceId,
    host: { ...report.agent.host, hostname: v.hostname ?? `${agentId}.example` },
  };
  report.seq = seq;
  report.reportId = v.reportId ?? `${agentId}/${instanceId}/${seq ?? 'x'}/${at}`;
  report.startedAt = new Date(T0.getTime() + (at - 1) * MINUTE).toISOString();
  report.finishedAt = new Date(T0.getTime() + at * MINUTE).toISOString();
  const keep = v.only ?? v.datasets;
  if (keep) report.datasets = report.datasets.filter((d) => keep.includes(d.id));
  report.run = { ...report.run, datasetsSelected: v.only ?? null };
  if (v.verdict) for (const dataset of report.datasets) dataset.verdict = v.verdict;
  const worst = report.datasets.reduce<Verdict>(
    (w, d) => (SEVERITY.indexOf(d.verdict as Verdict) > SEVERITY.indexOf(w) ? (d.verdict as Verdict) : w),
    'compliant',
  );
  report.summary = { ...report.summary, verdict: worst };
  if (v.delivery) report.delivery = v.delivery;
  return report;
}

/** The demo's summary, made once before the file's tests (a verify run of the demo estate). */
export function demoBase(t: Test): () => SummaryReport {
  let base: SummaryReport | undefined;
  t.before(async () => {
    base = await demoSummary(t.testdir());
  });
  return () => base as SummaryReport;
}
