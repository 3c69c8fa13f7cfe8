// The Markdown format, for an auditor's ticket or wiki: headings, tables, and the evidence behind every finding.
import type { DatasetReport, Report, SourceIssue } from '../../model.js';
import {
  catalogFor,
  countText,
  durationText,
  findingMessage,
  issueMessage,
  type Lang,
  type UiKey,
  ui,
} from '../i18n/index.js';
import {
  copyCells,
  evidenceLines,
  joinedLines,
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

/**
 * Text from disks and logs is escaped so it shows literally: `|` would split a table cell, `<` could open raw
 * HTML in the wiki, `*`/`_`/`[` would format or link, and a newline would end the table row.
 */
export function escapeMarkdown(text: string): string {
  return showControls(text.replace(/\r?\n|\r/g, ' ')).replace(MARKUP, (c) => `\\${c}`);
}

const MARKUP = /[\\`*_[\]<>|#~!&]/g;

function table(header: string[], rows: string[][]): string[] {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)];
}

function issueText(lang: Lang, issue: SourceIssue): string {
  const where = issue.path ? ` ${issue.line ? `${issue.path}:${issue.line}` : issue.path}` : '';
  const dataset = issue.dataset ? ` [${issue.dataset}]` : '';
  return escapeMarkdown(
    `${ui(lang, `severity.${issue.severity}`)} ${issue.code}${dataset}${where}: ${issueMessage(lang, issue)}`,
  );
}

function datasetSection(view: View, dataset: DatasetReport, now: Date): string[] {
  const { lang, time } = view;
  const cat = catalogFor(lang);
  const lines = [`## ${ui(lang, 'dataset')} ${escapeMarkdown(dataset.id)}: ${cat.verdicts[dataset.verdict]}`, ''];
  if (dataset.description) lines.push(`> ${escapeMarkdown(dataset.description)}`, '');
  lines.push(
    ...table(
      [ui(lang, 'check'), ui(lang, 'status'), ui(lang, 'message')],
      dataset.findings.map((finding) => [
        cat.checks[finding.check],
        `${STATUS_SYMBOL[finding.status]} ${cat.statuses[finding.status]}`,
        escapeMarkdown(findingMessage(lang, finding, time)),
      ]),
    ),
    '',
    `### ${ui(lang, 'evidence')}`,
    '',
  );
  for (const finding of dataset.findings) {
    lines.push(
      `- **${cat.checks[finding.check]}** (\`${finding.check}.${showControls(finding.reason).replace(/`/g, '')}\`): ` +
        escapeMarkdown(findingMessage(lang, finding, time)),
    );
    for (const line of evidenceLines(lang, finding, time)) lines.push(`  - ${escapeMarkdown(line)}`);
  }
  lines.push('', `### ${ui(lang, 'copies')}`, '');
  if (dataset.copies.length === 0) {
    lines.push(ui(lang, 'noCopies'));
  } else {
    const columns = ['location', 'path', 'size', 'modified', 'age', 'medium', 'device', 'sha256', 'offline', 'notes'];
    const header = (columns as UiKey[]).map((key) => ui(lang, key));
    const rule = { policy: dataset.policy, now };
    const rows = dataset.copies.map((copy) => {
      const c = copyCells(copy, view, rule);
      return [c.location, c.path, c.size, c.modified, c.age, c.medium, c.device, c.sha256, c.marks, c.notes].map(
        escapeMarkdown,
      );
    });
    pushAll(lines, table(header, rows));
  }
  lines.push('', `### ${ui(lang, 'policy')}`, '');
  lines.push(...policyRows(lang, dataset.policy).map(([name, value]) => `- ${name}: ${value}`), '');
  return lines;
}

export function renderMarkdown(report: Report, options: RenderOptions): string {
  return [...renderMarkdownChunks(report, options)].join('');
}

/** The document a dataset at a time (common.ts, joinedLines). */
export function renderMarkdownChunks(report: Report, options: RenderOptions): Generator<string> {
  const { lang } = options;
  const view = viewOf(options, true);
  const startedAt = new Date(report.generatedAt);
  const cat = catalogFor(lang);
  const { host } = report.agent;
  const lines = [
    `# ${ui(lang, 'title')}: ${cat.verdicts[report.summary.verdict]}`,
    '',
    `- **${ui(lang, 'overall')}**: ${cat.verdicts[report.summary.verdict]} (${ui(lang, 'exitCode')} ${report.summary.exitCode})`,
    `- **${ui(lang, 'agent')}**: ${escapeMarkdown(report.agent.id)}`,
    `- **${ui(lang, 'host')}**: ${escapeMarkdown(`${host.hostname} (${host.os} ${host.kernel}, ${host.arch})`)}`,
    `- **${ui(lang, 'startedAt')}**: ${escapeMarkdown(view.time(report.generatedAt))}`,
    `- **${ui(lang, 'reportId')}**: ${escapeMarkdown(report.reportId)}`,
  ];
  if (report.run.scrub) lines.push(`- ${escapeMarkdown(scrubLine(lang, report.run.scrub))}`);
  else if (report.run.deep) lines.push(`- ${ui(lang, 'deepRun')}`);
  lines.push('', `${escapeMarkdown(summaryLine(lang, report.summary))}`, '');
  return joinedLines(
    lines,
    report.datasets,
    (dataset) => datasetSection(view, dataset, startedAt),
    () => sourcesSection(report, lang),
  );
}

function sourcesSection(report: Report, lang: Lang): string[] {
  const cat = catalogFor(lang);
  const lines = [`## ${ui(lang, 'sources')}`, ''];
  lines.push(
    ...table(
      [
        ui(lang, 'location'),
        ui(lang, 'type'),
        ui(lang, 'status'),
        ui(lang, 'copies'),
        ui(lang, 'duration'),
        ui(lang, 'issues'),
      ],
      report.sources.map((source) => [
        escapeMarkdown(source.id),
        escapeMarkdown(source.type),
        cat.sourceStates[source.status],
        String(source.copies),
        durationText(lang, source.durationMs),
        source.issues.length ? source.issues.map((issue) => issueText(lang, issue)).join('<br>') : ui(lang, 'none'),
      ]),
    ),
  );
  const drills = report.drills;
  const drillState = !drills.configured
    ? ui(lang, 'notConfigured')
    : `${drills.readable ? cat.sourceStates.ok : cat.sourceStates.unreadable}, ${countText(lang, drills.records, 'records')}`;
  lines.push('', `**${ui(lang, 'drillLog')}**: ${drillState}`);
  for (const issue of drills.issues) lines.push(`- ${issueText(lang, issue)}`);
  // The document ends with a newline.
  lines.push('');
  return lines;
}
