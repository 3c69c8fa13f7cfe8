// The HTML format: one self-contained page (inline CSS, no scripts, nothing fetched) that can be mailed or archived.
import type { AssessedCopy, DatasetReport, EvidenceList, Finding, Report, SourceIssue, Verdict } from '../../model.js';
import {
  catalogFor,
  countText,
  durationText,
  findingMessage,
  issueMessage,
  type Lang,
  noteText,
  ui,
} from '../i18n/index.js';
import {
  checksumOf,
  copyCells,
  joinedLines,
  type OfflineRule,
  otherEvidenceLines,
  policyRows,
  pushAll,
  type RenderOptions,
  showControls,
  STATUS_SYMBOL,
  scrubLine,
  summaryLine,
  type View,
  viewOf,
} from './common.js';
import { groupBy, locationDirs, relativeTo, splitCopyId } from './paths.js';

/** Every value from the report goes through this: names, paths and messages come from disks and logs. */
export function escapeHtml(text: string): string {
  return showControls(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const e = escapeHtml;

// A sha256 wraps inside its cell (four lines of 16) rather than widening the table; printed pages keep
// every table row whole and drop the screen margins.
const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}code{font-size:90%}.muted{color:#666}ul.evidence{margin:.25em 0 .5em;padding-left:1.2em}
tr.location th{background:#fafafa;font-weight:normal}code.sha{display:inline-block;max-width:16ch;word-break:break-all}
.v-compliant,.s-pass{color:#1a7f37}.v-at-risk,.s-warn{color:#9a6700}.v-non-compliant,.s-fail{color:#cf222e}
.v-unknown,.s-unknown{color:#8250df}.verdict{font-weight:bold;text-transform:uppercase}
@media print{body{margin:0;font-size:11px}tr{break-inside:avoid}h2,h3{break-after:avoid}}`;

function row(cells: string[], tag: 'td' | 'th' = 'td'): string {
  return `<tr>${cells.map((cell) => `<${tag}>${cell}</${tag}>`).join('')}</tr>`;
}

function verdictSpan(lang: Lang, verdict: Verdict): string {
  return `<span class="verdict v-${e(verdict)}">${e(catalogFor(lang).verdicts[verdict])}</span>`;
}

function issueHtml(lang: Lang, issue: SourceIssue): string {
  const where = issue.path ? ` ${issue.line ? `${issue.path}:${issue.line}` : issue.path}` : '';
  const dataset = issue.dataset ? ` [${issue.dataset}]` : '';
  return e(`${ui(lang, `severity.${issue.severity}`)} ${issue.code}${dataset}${where}: ${issueMessage(lang, issue)}`);
}

/**
 * Evidence about copies, a location at a time: its directory once, then the copies' paths relative
 * to it. Full ids made a finding's evidence a wall of repeated directories.
 */
function copyEvidenceHtml(lang: Lang, label: string, items: EvidenceList, dirs: Map<string, string>): string {
  const groups = groupBy(items, (item) => splitCopyId(item.copy).location);
  const lines = [...groups].map(([location, group]) => {
    const dir = dirs.get(location) ?? '';
    const names = group.map((item) => {
      const name = relativeTo(dir, splitCopyId(item.copy).path);
      return item.note ? `${name} (${noteText(lang, item.note)})` : name;
    });
    const where = location ? `${e(location)}${dir ? ` <code>${e(dir)}</code>` : ''}: ` : '';
    return `<li>${where}${e(names.join(', '))}</li>`;
  });
  return `<li>${e(label)}:<ul>${lines.join('')}</ul></li>`;
}

function evidenceHtml(view: View, finding: Finding, dirs: Map<string, string>): string {
  const { lang } = view;
  const { counted, notCounted } = finding.evidence ?? {};
  const parts: string[] = [];
  if (counted?.length) parts.push(copyEvidenceHtml(lang, ui(lang, 'counted'), counted, dirs));
  if (notCounted?.length) parts.push(copyEvidenceHtml(lang, ui(lang, 'notCounted'), notCounted, dirs));
  for (const line of otherEvidenceLines(lang, finding, view.time)) parts.push(`<li>${e(line)}</li>`);
  return parts.length ? `<ul class="evidence">${parts.join('')}</ul>` : '';
}

/** The whole hash, wrapping in its cell: an auditor compares it with `sha256sum` output. */
function shaHtml(copy: AssessedCopy, view: View): string {
  const checksum = checksumOf(copy);
  if (!checksum) return e(ui(view.lang, 'unverified'));
  const source = checksum.source ? ` (${e(noteText(view.lang, checksum.source))})` : '';
  return `<code class="sha">${e(checksum.sha256)}</code>${source}`;
}

const COPY_COLUMNS = ['path', 'size', 'modified', 'age', 'medium', 'device', 'sha256', 'offline', 'notes'] as const;

/** The copies table, a location at a time: a row naming the location and its directory, then its copies. */
function copiesHtml(view: View, dataset: DatasetReport, dirs: Map<string, string>, rule: OfflineRule): string[] {
  const out = [
    '<table>',
    row(
      COPY_COLUMNS.map((key) => e(ui(view.lang, key))),
      'th',
    ),
  ];
  for (const [location, copies] of groupBy(dataset.copies, (copy) => copy.location)) {
    const dir = dirs.get(location) ?? '';
    out.push(
      `<tr class="location"><th colspan="${COPY_COLUMNS.length}">${e(ui(view.lang, 'location'))} ` +
        `<strong>${e(location)}</strong>${dir ? ` <code>${e(dir)}</code>` : ''}</th></tr>`,
    );
    for (const copy of copies) {
      const c = copyCells(copy, view, rule);
      out.push(
        row([
          `<code>${e(relativeTo(dir, c.path))}</code>`,
          e(c.size),
          e(c.modified),
          e(c.age),
          e(c.medium),
          e(c.device),
          shaHtml(copy, view),
          e(c.marks),
          e(c.notes),
        ]),
      );
    }
  }
  out.push('</table>');
  return out;
}

function datasetHtml(view: View, dataset: DatasetReport, now: Date): string[] {
  const { lang } = view;
  const cat = catalogFor(lang);
  const dirs = locationDirs(dataset.copies);
  const out = [
    `<section><h2>${e(ui(lang, 'dataset'))} <code>${e(dataset.id)}</code>: ${verdictSpan(lang, dataset.verdict)}</h2>`,
  ];
  if (dataset.description) out.push(`<p class="muted">${e(dataset.description)}</p>`);
  out.push(
    '<table>',
    row([ui(lang, 'check'), ui(lang, 'status'), ui(lang, 'message'), ui(lang, 'evidence')].map(e), 'th'),
  );
  for (const finding of dataset.findings) {
    out.push(
      row([
        e(cat.checks[finding.check]),
        `<span class="s-${e(finding.status)}">${STATUS_SYMBOL[finding.status]} ${e(cat.statuses[finding.status])}</span>`,
        `${e(findingMessage(lang, finding, view.time))}<br><code class="muted">${e(`${finding.check}.${finding.reason}`)}</code>`,
        evidenceHtml(view, finding, dirs),
      ]),
    );
  }
  out.push('</table>', `<h3>${e(ui(lang, 'copies'))}</h3>`);
  if (dataset.copies.length === 0) out.push(`<p>${e(ui(lang, 'noCopies'))}</p>`);
  else pushAll(out, copiesHtml(view, dataset, dirs, { policy: dataset.policy, now }));
  // Not a collapsed <details>: a printed report must show the policy its verdicts were judged by.
  out.push(`<h3>${e(ui(lang, 'policy'))}</h3><table>`);
  for (const [name, value] of policyRows(lang, dataset.policy)) out.push(row([e(name), e(value)]));
  out.push('</table></section>');
  return out;
}

export function renderHtml(report: Report, options: RenderOptions): string {
  return [...renderHtmlChunks(report, options)].join('');
}

/** The page a dataset at a time (common.ts, joinedLines). */
export function renderHtmlChunks(report: Report, options: RenderOptions): Generator<string> {
  const { lang } = options;
  const view = viewOf(options, true);
  const startedAt = new Date(report.generatedAt);
  const cat = catalogFor(lang);
  const { host } = report.agent;
  const title = `${ui(lang, 'title')}: ${report.agent.id} — ${cat.verdicts[report.summary.verdict]}`;
  const out = [
    '<!DOCTYPE html>',
    `<html lang="${lang}"><head><meta charset="utf-8">`,
    // The page needs nothing but its own inline style; the policy forbids scripts and fetches even if escaping failed.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${e(title)}</title><style>${CSS}</style></head><body>`,
    `<h1>${e(ui(lang, 'title'))}: ${verdictSpan(lang, report.summary.verdict)}</h1>`,
    '<table>',
    row([
      e(ui(lang, 'overall')),
      `${verdictSpan(lang, report.summary.verdict)} (${e(ui(lang, 'exitCode'))} ${report.summary.exitCode})`,
    ]),
    row([e(ui(lang, 'agent')), e(report.agent.id)]),
    row([e(ui(lang, 'host')), e(`${host.hostname} (${host.os} ${host.kernel}, ${host.arch})`)]),
    row([e(ui(lang, 'startedAt')), e(view.time(report.generatedAt))]),
    row([e(ui(lang, 'reportId')), `<code>${e(report.reportId)}</code>`]),
    '</table>',
    `<p>${e(summaryLine(lang, report.summary))}</p>`,
  ];
  if (report.run.scrub) out.push(`<p>${e(scrubLine(lang, report.run.scrub))}</p>`);
  else if (report.run.deep) out.push(`<p>${e(ui(lang, 'deepRun'))}</p>`);
  return joinedLines(
    out,
    report.datasets,
    (dataset) => datasetHtml(view, dataset, startedAt),
    () => sourcesHtml(report, lang),
  );
}

function sourcesHtml(report: Report, lang: Lang): string[] {
  const cat = catalogFor(lang);
  const out = [`<h2>${e(ui(lang, 'sources'))}</h2><table>`];
  out.push(
    row(
      [
        ui(lang, 'location'),
        ui(lang, 'type'),
        ui(lang, 'status'),
        ui(lang, 'copies'),
        ui(lang, 'duration'),
        ui(lang, 'issues'),
      ].map(e),
      'th',
    ),
  );
  for (const source of report.sources) {
    const issues = source.issues.map((issue) => issueHtml(lang, issue)).join('<br>') || e(ui(lang, 'none'));
    out.push(
      row([
        e(source.id),
        e(source.type),
        e(cat.sourceStates[source.status]),
        String(source.copies),
        e(durationText(lang, source.durationMs)),
        issues,
      ]),
    );
  }
  out.push('</table>');
  const drills = report.drills;
  const drillState = !drills.configured
    ? ui(lang, 'notConfigured')
    : `${drills.readable ? cat.sourceStates.ok : cat.sourceStates.unreadable}, ${countText(lang, drills.records, 'records')}`;
  out.push(`<p><strong>${e(ui(lang, 'drillLog'))}</strong>: ${e(drillState)}</p>`);
  if (drills.issues.length)
    out.push(`<ul>${drills.issues.map((issue) => `<li>${issueHtml(lang, issue)}</li>`).join('')}</ul>`);
  out.push('</body></html>', '');
  return out;
}
