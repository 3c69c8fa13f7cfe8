// The HTML format: one self-contained page (inline CSS, no scripts, nothing fetched) that can be mailed or archived.
import { formatDuration } from '../../config/units.js';
import type { DatasetReport, Report, SourceIssue, Verdict } from '../../model.js';
import { catalogFor, findingMessage, type Lang, ui } from '../i18n/index.js';
import {
  copyCells,
  evidenceLines,
  joinedLines,
  policyRows,
  type RenderOptions,
  showControls,
  STATUS_SYMBOL,
  summaryLine,
} from './common.js';

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

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}code{font-size:90%}.muted{color:#666}ul.evidence{margin:.25em 0 .5em}
.v-compliant,.s-pass{color:#1a7f37}.v-at-risk,.s-warn{color:#9a6700}.v-non-compliant,.s-fail{color:#cf222e}
.v-unknown,.s-unknown{color:#8250df}.verdict{font-weight:bold;text-transform:uppercase}`;

function row(cells: string[], tag: 'td' | 'th' = 'td'): string {
  return `<tr>${cells.map((cell) => `<${tag}>${cell}</${tag}>`).join('')}</tr>`;
}

function verdictSpan(lang: Lang, verdict: Verdict): string {
  return `<span class="verdict v-${e(verdict)}">${e(catalogFor(lang).verdicts[verdict])}</span>`;
}

function issueHtml(lang: Lang, issue: SourceIssue): string {
  const where = issue.path ? ` ${issue.line ? `${issue.path}:${issue.line}` : issue.path}` : '';
  const dataset = issue.dataset ? ` [${issue.dataset}]` : '';
  return e(`${ui(lang, `severity.${issue.severity}`)} ${issue.code}${dataset}${where}: ${issue.message}`);
}

function datasetHtml(lang: Lang, dataset: DatasetReport): string[] {
  const cat = catalogFor(lang);
  const out = [
    `<section><h2>${e(ui(lang, 'dataset'))} <code>${e(dataset.id)}</code>: ${verdictSpan(lang, dataset.verdict)}</h2>`,
  ];
  if (dataset.description) out.push(`<p class="muted">${e(dataset.description)}</p>`);
  out.push(
    '<table>',
    row([ui(lang, 'check'), ui(lang, 'status'), ui(lang, 'message'), ui(lang, 'evidence')].map(e), 'th'),
  );
  for (const finding of dataset.findings) {
    const evidence = evidenceLines(lang, finding)
      .map((line) => `<li>${e(line)}</li>`)
      .join('');
    out.push(
      row([
        e(cat.checks[finding.check]),
        `<span class="s-${e(finding.status)}">${STATUS_SYMBOL[finding.status]} ${e(cat.statuses[finding.status])}</span>`,
        `${e(findingMessage(lang, finding))}<br><code class="muted">${e(`${finding.check}.${finding.reason}`)}</code>`,
        evidence ? `<ul class="evidence">${evidence}</ul>` : '',
      ]),
    );
  }
  out.push('</table>', `<h3>${e(ui(lang, 'copies'))}</h3>`);
  if (dataset.copies.length === 0) {
    out.push(`<p>${e(ui(lang, 'noCopies'))}</p>`);
  } else {
    const keys = ['location', 'path', 'size', 'age', 'medium', 'device', 'sha256', 'offline', 'notes'] as const;
    out.push(
      '<table>',
      row(
        keys.map((key) => e(ui(lang, key))),
        'th',
      ),
    );
    for (const copy of dataset.copies) {
      const c = copyCells(copy, lang);
      const sha = copy.sha256 ? `<code title="${e(copy.sha256)}">${e(c.sha256)}</code>` : e(c.sha256);
      out.push(
        row([
          e(c.location),
          `<code>${e(c.path)}</code>`,
          e(c.size),
          e(c.age),
          e(c.medium),
          e(c.device),
          sha,
          e(c.marks),
          e(c.notes),
        ]),
      );
    }
    out.push('</table>');
  }
  out.push(`<details><summary>${e(ui(lang, 'policy'))}</summary><table>`);
  for (const [name, value] of policyRows(lang, dataset.policy)) out.push(row([e(name), e(value)]));
  out.push('</table></details></section>');
  return out;
}

export function renderHtml(report: Report, options: RenderOptions): string {
  return [...renderHtmlChunks(report, options)].join('');
}

/** The page a dataset at a time (common.ts, joinedLines). */
export function renderHtmlChunks(report: Report, options: RenderOptions): Generator<string> {
  const { lang } = options;
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
    row([e(ui(lang, 'generatedAt')), e(report.generatedAt)]),
    row([e(ui(lang, 'reportId')), `<code>${e(report.reportId)}</code>`]),
    '</table>',
    `<p>${e(summaryLine(lang, report.summary))}</p>`,
  ];
  if (report.run.deep) out.push(`<p>${e(ui(lang, 'deepRun'))}</p>`);
  return joinedLines(
    out,
    report.datasets,
    (dataset) => datasetHtml(lang, dataset),
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
        e(formatDuration(source.durationMs)),
        issues,
      ]),
    );
  }
  out.push('</table>');
  const drills = report.drills;
  const drillState = !drills.configured
    ? ui(lang, 'notConfigured')
    : `${drills.readable ? cat.sourceStates.ok : cat.sourceStates.unreadable}, ${drills.records} ${ui(lang, 'records')}`;
  out.push(`<p><strong>${e(ui(lang, 'drillLog'))}</strong>: ${e(drillState)}</p>`);
  if (drills.issues.length)
    out.push(`<ul>${drills.issues.map((issue) => `<li>${issueHtml(lang, issue)}</li>`).join('')}</ul>`);
  out.push('</body></html>', '');
  return out;
}
