// What every page says the same way: the page's frame, statuses, a check's cell, an agent's marks.
import type { Lang } from '../../lang.js';
import { catalogFor } from '../../report/i18n/index.js';
import { CHECK_CODES } from '../../report-schema/words.js';
import type { AgentStatus, AgentSummary, DatasetChecks, Verdict, VerdictCounts } from '../store/types.js';
import { fill, type Strings, stringsFor } from './strings.js';
import type { Clocks } from './time.js';

export interface Frame {
  lang: Lang;
  otherLang: Lang;
  t: Strings;
  signedIn: boolean;
  time: (iso: string | null) => string;
  verdictLabel: (verdict: string) => string;
}

export function frame(lang: Lang, clocks: Clocks, signedIn: boolean): Frame {
  const verdicts = catalogFor(lang).verdicts as Record<string, string>;
  return {
    lang,
    otherLang: lang === 'en' ? 'vi' : 'en',
    t: stringsFor(lang),
    signedIn,
    time: clocks.short,
    verdictLabel: (verdict) => verdicts[verdict] ?? verdict,
  };
}

export function statusLabel(lang: Lang, status: AgentStatus | Verdict): string {
  return status === 'silent' ? stringsFor(lang).silent : catalogFor(lang).verdicts[status];
}

const SYMBOL: Record<string, string> = { pass: '✓', warn: '!', fail: '✗', unknown: '?' };

export interface CheckCell {
  check: string;
  status: string;
  label: string;
  title: string;
}

export function checkColumns(lang: Lang): { check: string; label: string }[] {
  const checks = catalogFor(lang).checks;
  return CHECK_CODES.map((check) => ({ check, label: checks[check] }));
}

export function checkCells(lang: Lang, dataset: DatasetChecks): CheckCell[] {
  const catalog = catalogFor(lang);
  const statuses = catalog.statuses as Record<string, string>;
  return CHECK_CODES.map((check) => {
    const state = dataset.checks.find((c) => c.check === check);
    if (!state) return { check, status: 'none', label: '—', title: catalog.checks[check] };
    const statusText = statuses[state.status] ?? state.status;
    return {
      check,
      status: state.status,
      label: SYMBOL[state.status] ?? state.status,
      // The check's message is on the agent's page: a title per cell would double the fleet page's bytes.
      title: `${catalog.checks[check]}: ${statusText}`,
    };
  });
}

/** "3 reports missing", "reinstalled (1×)": what the agents table says beside an agent. */
export function agentMarks(t: Strings, agent: AgentSummary): string[] {
  const marks: string[] = [];
  if (agent.missingReports > 0) marks.push(fill(t.missingMark, { n: agent.missingReports }));
  if (agent.reinstalls > 0) marks.push(fill(t.reinstallMark, { n: agent.reinstalls }));
  return marks;
}

export function agentHref(agentId: string): string {
  return `/agents/${encodeURIComponent(agentId)}`;
}

export function datasetHref(datasetId: string): string {
  return `/datasets/${encodeURIComponent(datasetId)}`;
}

export interface Tally {
  status: string;
  label: string;
  count: number;
}

export function tallies(
  lang: Lang,
  counts: { byStatus: VerdictCounts & { silent: number }; compliance: VerdictCounts },
): { statusTally: Tally[]; complianceTally: Tally[] } {
  const verdicts = catalogFor(lang).verdicts;
  const rows = [
    ['compliant', 'compliant'],
    ['at-risk', 'atRisk'],
    ['non-compliant', 'nonCompliant'],
    ['unknown', 'unknown'],
  ] as const;
  const statusTally: Tally[] = rows.map(([status, key]) => ({
    status,
    label: verdicts[status],
    count: counts.byStatus[key],
  }));
  statusTally.push({ status: 'silent', label: stringsFor(lang).silent, count: counts.byStatus.silent });
  const complianceTally: Tally[] = rows.map(([status, key]) => ({
    status,
    label: verdicts[status],
    count: counts.compliance[key],
  }));
  return { statusTally, complianceTally };
}
