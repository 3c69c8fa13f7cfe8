// A stored summary report's datasets as the agent page and the printable report show them: findings
// in the page's language, with their evidence (copies counted and not, the arithmetic, the drill).
import type { Lang } from '../../lang.js';
import { catalogFor, durationText, findingMessage, noteText, termText, ui } from '../../report/i18n/index.js';
import type { Finding, SummaryReport } from '../../report-schema/types.js';
import { datasetHref } from './labels.js';
import { fill, stringsFor } from './strings.js';
import type { Clocks } from './time.js';

type SummaryFinding = SummaryReport['datasets'][number]['findings'][number];

interface EvidenceGroup {
  title: string;
  open: boolean;
  items: { copy: string; note: string }[];
}

function evidenceGroups(lang: Lang, finding: SummaryFinding): EvidenceGroup[] {
  const t = stringsFor(lang);
  const { evidence, evidenceTotals } = finding;
  const groups: EvidenceGroup[] = [];
  const copies = (title: string, list: { copy: string; note?: string }[] | undefined, total: number, open: boolean) => {
    if (!list || total === 0) return;
    const shown = list.length < total ? ` — ${fill(t.moreEvidence, { shown: list.length, total })}` : '';
    groups.push({
      title: `${title} (${total})${shown}`,
      open,
      items: list.map((item) => ({ copy: item.copy, note: item.note ? noteText(lang, item.note) : '' })),
    });
  };
  // A check that did not pass shows its evidence open; what did not count is what an auditor asks about first.
  const open = finding.status !== 'pass';
  copies(t.notCounted, evidence.notCounted, evidenceTotals.notCounted, open);
  copies(t.counted, evidence.counted, evidenceTotals.counted, open);
  if (evidence.unreadable && evidence.unreadable.length > 0) {
    groups.push({ title: t.unreadable, open: true, items: evidence.unreadable.map((copy) => ({ copy, note: '' })) });
  }
  if (evidence.arithmetic) {
    groups.push({
      title: t.arithmetic,
      open: false,
      items: Object.entries(evidence.arithmetic).map(([term, value]) => ({
        copy: termText(lang, term),
        note:
          typeof value === 'number' && term.endsWith('Ms') ? durationText(lang, value) : termText(lang, String(value)),
      })),
    });
  }
  if (evidence.drill) groups.push({ title: t.drill, open: false, items: [{ copy: evidence.drill, note: '' }] });
  return groups;
}

export function reportDatasets(lang: Lang, clocks: Clocks, report: SummaryReport) {
  const t = stringsFor(lang);
  const catalog = catalogFor(lang);
  const statuses = catalog.statuses as Record<string, string>;
  return report.datasets.map((dataset) => ({
    id: dataset.id,
    href: datasetHref(dataset.id),
    verdict: dataset.verdict,
    verdictLabel: catalog.verdicts[dataset.verdict],
    countsText: fill(t.copies, dataset.counts as Record<string, number>),
    newestCopy: clocks.short(dataset.newestCopyAt),
    restoreEstimate: dataset.restoreEstimateMs === null ? '—' : durationText(lang, dataset.restoreEstimateMs),
    findings: dataset.findings.map((finding) => ({
      check: finding.check,
      checkLabel: catalog.checks[finding.check],
      status: finding.status,
      statusLabel: statuses[finding.status] ?? finding.status,
      message: findingMessage(lang, finding as unknown as Finding, clocks.short),
      evidence: evidenceGroups(lang, finding),
    })),
  }));
}

const POLICY_LABELS: Record<string, Parameters<typeof ui>[1]> = {
  minCopies: 'minCopies',
  minMedia: 'minMedia',
  minOffline: 'minOffline',
  rpoMs: 'rpo',
  rtoMs: 'rto',
  offlineMaxAgeMs: 'offlineMaxAge',
  drillMaxAgeMs: 'drillMaxAge',
  verifyMaxAgeMs: 'verifyMaxAge',
  offlineVerifyMaxAgeMs: 'offlineVerifyMaxAge',
  countPrimary: 'countPrimary',
  immutableCountsAsOffline: 'immutableCountsAsOffline',
  restoreOverheadMs: 'restoreOverhead',
  clockSkewMs: 'clockSkew',
};

/** The policy the report was judged by, every value, in words and as the agent sent it. */
export function policyRows(lang: Lang, report: SummaryReport) {
  return Object.entries(report.policy as Record<string, unknown>).map(([key, value]) => {
    const labelKey = POLICY_LABELS[key];
    let shown: string;
    if (typeof value === 'boolean') shown = ui(lang, value ? 'yes' : 'no');
    else if (typeof value === 'number' && key.endsWith('Ms')) shown = durationText(lang, value);
    else shown = String(value);
    return { key, label: labelKey ? ui(lang, labelKey) : key, value: shown, raw: JSON.stringify(value) };
  });
}
