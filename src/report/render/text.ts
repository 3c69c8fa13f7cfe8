// The terminal report an operator reads: verdicts first, one line per check, then copies, sources and a summary.
import { statusLine } from './summary.js';
import type {
  CheckStatus,
  DatasetReport,
  LocationStatus,
  Report,
  SourceIssue,
  SourceState,
  Verdict,
} from '../../model.js';
import { catalogFor, countText, durationText, findingMessage, issueMessage, type Lang, ui } from '../i18n/index.js';
import {
  copyCells,
  evidenceLines,
  joinedLines,
  layoutTable,
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

type Paint = (style: keyof typeof SGR, text: string) => string;

const SGR = {
  bold: '1',
  dim: '2',
  red: '31',
  green: '32',
  yellow: '33',
  magenta: '35',
} as const;

const VERDICT_STYLE: Record<Verdict, keyof typeof SGR> = {
  compliant: 'green',
  'at-risk': 'yellow',
  'non-compliant': 'red',
  unknown: 'magenta',
};
const STATUS_STYLE: Record<CheckStatus, keyof typeof SGR> = {
  pass: 'green',
  warn: 'yellow',
  fail: 'red',
  unknown: 'magenta',
};
const SOURCE_STATUS: Record<SourceState, CheckStatus> = {
  ok: 'pass',
  degraded: 'warn',
  unreadable: 'fail',
};

const terminalSafe = showControls;

function issueLine(lang: Lang, issue: SourceIssue): string {
  const where = [issue.dataset, issue.path && (issue.line ? `${issue.path}:${issue.line}` : issue.path)]
    .filter(Boolean)
    .join(' ');
  const symbol = issue.severity === 'error' ? STATUS_SYMBOL.fail : STATUS_SYMBOL.warn;
  return `${symbol} ${ui(lang, `severity.${issue.severity}`)} ${issue.code}${where ? ` ${where}` : ''}: ${issueMessage(lang, issue)}`;
}

function datasetLines(dataset: DatasetReport, options: RenderOptions, view: View, now: Date, paint: Paint): string[] {
  const { lang } = options;
  const cat = catalogFor(lang);
  const lines = [
    `${paint('bold', `${ui(lang, 'dataset')} ${terminalSafe(dataset.id)}`)} — ` +
      paint(VERDICT_STYLE[dataset.verdict], cat.verdicts[dataset.verdict].toUpperCase()),
  ];
  if (dataset.description) lines.push(`  ${terminalSafe(dataset.description)}`);
  const width = Math.max(...dataset.findings.map((f) => [...cat.checks[f.check]].length), 0);
  for (const finding of dataset.findings) {
    const symbol = paint(STATUS_STYLE[finding.status], STATUS_SYMBOL[finding.status]);
    const check = cat.checks[finding.check].padEnd(width);
    lines.push(`  ${symbol} ${check}  ${terminalSafe(findingMessage(lang, finding, view.time))}`);
    if (options.verbose) {
      for (const line of evidenceLines(lang, finding, view.time))
        lines.push(paint('dim', `      ${terminalSafe(line)}`));
    }
  }
  lines.push(`  ${ui(lang, 'copies')}:`);
  if (dataset.copies.length === 0) {
    lines.push(`    ${ui(lang, 'noCopies')}`);
  } else {
    const rows = dataset.copies.map((copy) => {
      // The notes say why a copy does not count, offline reasons included: without -v nothing else does.
      const cells = copyCells(copy, view, { policy: dataset.policy, now });
      return [
        cells.location,
        cells.name,
        cells.size,
        cells.age,
        cells.medium,
        cells.device,
        cells.sha256,
        cells.marks,
        cells.notes,
      ].map(terminalSafe);
    });
    // The marks column (offline, immutable) explains itself, so it has no heading.
    const headerCells = (['location', 'name', 'size', 'age', 'medium', 'device', 'sha256', '', 'notes'] as const).map(
      (key) => (key ? ui(lang, key) : ''),
    );
    const table = layoutTable([headerCells, ...rows], '    ');
    lines.push(paint('dim', table[0] ?? ''));
    pushAll(lines, table.slice(1));
  }
  if (options.verbose) {
    lines.push(`  ${ui(lang, 'policy')}:`);
    for (const row of layoutTable(policyRows(lang, dataset.policy), '    ')) lines.push(row);
  }
  return lines;
}

function sourceLines(source: LocationStatus, options: RenderOptions, paint: Paint): string[] {
  const { lang } = options;
  const status = SOURCE_STATUS[source.status];
  const lines = [
    `  ${paint(STATUS_STYLE[status], STATUS_SYMBOL[status])} ${terminalSafe(source.id)} (${terminalSafe(source.type)}): ` +
      `${catalogFor(lang).sourceStates[source.status]} — ${countText(lang, source.copies, 'copies')}, ` +
      durationText(lang, source.durationMs),
  ];
  for (const issue of source.issues) lines.push(`      ${terminalSafe(issueLine(lang, issue))}`);
  if (options.verbose) {
    for (const [name, value] of Object.entries(source.facts)) {
      lines.push(paint('dim', `      ${terminalSafe(`${name}: ${String(value)}`)}`));
    }
  }
  return lines;
}

export function renderText(report: Report, options: RenderOptions): string {
  return [...renderTextChunks(report, options)].join('');
}

/** The report a dataset at a time (common.ts, joinedLines): one dataset's copy table is the most it holds. */
export function renderTextChunks(report: Report, options: RenderOptions): Generator<string> {
  const { lang } = options;
  const view = viewOf(options, false);
  const startedAt = new Date(report.generatedAt);
  const cat = catalogFor(lang);
  const paint: Paint = (style, text) => (options.color ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text);
  const host = report.agent.host;
  const { summary } = report;
  const head = [
    // Monitoring systems (Nagios, Icinga, Zabbix) show the first line as the check's status.
    statusLine(report, lang),
    '',
    paint('bold', ui(lang, 'title')),
    `  ${ui(lang, 'agent')}: ${terminalSafe(report.agent.id)}   ${ui(lang, 'host')}: ` +
      terminalSafe(`${host.hostname} (${host.os} ${host.kernel}, ${host.arch})`) +
      `   ${ui(lang, 'startedAt')}: ${terminalSafe(view.time(report.generatedAt))}`,
    `  ${ui(lang, 'overall')}: ` +
      paint(VERDICT_STYLE[summary.verdict], paint('bold', cat.verdicts[summary.verdict].toUpperCase())) +
      ` (${ui(lang, 'exitCode')} ${summary.exitCode})`,
  ];
  if (options.verbose) {
    head.push(`  ${ui(lang, 'reportId')}: ${terminalSafe(report.reportId)}`);
    if (report.run.deep && !report.run.scrub) head.push(`  ${ui(lang, 'deepRun')}`);
  }
  // Always shown: it says whether the budget keeps up with verifyMaxAge.
  if (report.run.scrub) head.push(`  ${scrubLine(lang, report.run.scrub)}`);
  return joinedLines(
    head,
    report.datasets,
    // A blank line before each dataset.
    (dataset) => ['', ...datasetLines(dataset, options, view, startedAt, paint)],
    () => tailLines(report, options, paint),
  );
}

/** Sources, the drill log and the summary; the report ends with a newline. */
function tailLines(report: Report, options: RenderOptions, paint: Paint): string[] {
  const { lang } = options;
  const cat = catalogFor(lang);
  const lines = ['', paint('bold', `${ui(lang, 'sources')}:`)];
  for (const source of report.sources) pushAll(lines, sourceLines(source, options, paint));
  const drills = report.drills;
  const drillState = !drills.configured
    ? ui(lang, 'notConfigured')
    : `${drills.readable ? cat.sourceStates.ok : cat.sourceStates.unreadable} — ${countText(lang, drills.records, 'records')}`;
  lines.push(`  ${ui(lang, 'drillLog')}: ${drillState}`);
  for (const issue of drills.issues) lines.push(`      ${terminalSafe(issueLine(lang, issue))}`);
  lines.push('', paint('bold', `${ui(lang, 'summary')}:`), `  ${summaryLine(lang, report.summary)}`, '');
  return lines;
}
