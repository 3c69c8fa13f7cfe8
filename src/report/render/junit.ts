// The JUnit XML format, so CI servers (Jenkins, GitLab, Azure …) list each dataset × check as a test.
import type { DatasetReport, Finding, Report } from '../../model.js';
import { catalogFor, findingMessage, type Lang, ui } from '../i18n/index.js';
import { evidenceLines, joinedLines, type RenderOptions } from './common.js';
import { xmlTag, xmlText } from './xml.js';

/*
 * Status mapping. JUnit knows only passed, failure, error and skipped, and most CI servers show nothing for a
 * passing test. An at-risk dataset (a `warn` finding, e.g. unverified copies) must be visible to a Jenkins or
 * GitLab user, so warn → <failure type="warning">: the test shows as failed (Jenkins marks the build UNSTABLE)
 * and the type tells it apart from a real breach (fail → <failure type="fail">). unknown → <error type="unknown">,
 * because the check could not run, which is what JUnit errors mean. pass → a plain testcase; every testcase
 * carries its message and evidence in <system-out> so the CI page explains passes too.
 * Test names are the stable check codes (not translated) so CI history lines up across languages.
 */
function testcase(lang: Lang, dataset: DatasetReport, finding: Finding): string {
  const message = findingMessage(lang, finding);
  const details = [
    `${ui(lang, 'reason')}: ${finding.check}.${finding.reason}`,
    `${ui(lang, 'status')}: ${catalogFor(lang).statuses[finding.status]}`,
    ...evidenceLines(lang, finding),
  ].join('\n');
  const lines = [`    ${xmlTag('testcase', { classname: `backup321.${dataset.id}`, name: finding.check, time: 0 })}`];
  if (finding.status === 'fail' || finding.status === 'warn') {
    const type = finding.status === 'fail' ? 'fail' : 'warning';
    lines.push(`      ${xmlTag('failure', { message, type })}${xmlText(details)}</failure>`);
  } else if (finding.status === 'unknown') {
    lines.push(`      ${xmlTag('error', { message, type: 'unknown' })}${xmlText(details)}</error>`);
  }
  lines.push(`      <system-out>${xmlText(`${message}\n${details}`)}</system-out>`, '    </testcase>');
  return lines.join('\n');
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
}

function count(findings: Finding[]): Counts {
  return {
    tests: findings.length,
    failures: findings.filter((f) => f.status === 'fail' || f.status === 'warn').length,
    errors: findings.filter((f) => f.status === 'unknown').length,
  };
}

export function renderJunit(report: Report, options: RenderOptions): string {
  return [...renderJunitChunks(report, options)].join('');
}

/** The document a test suite (a dataset) at a time (common.ts, joinedLines). */
export function renderJunitChunks(report: Report, options: RenderOptions): Generator<string> {
  const { lang } = options;
  const cat = catalogFor(lang);
  const suite = (dataset: DatasetReport): string[] => {
    const counts = count(dataset.findings);
    return [
      `  ${xmlTag('testsuite', {
        name: `backup321.${dataset.id}`,
        ...counts,
        skipped: 0,
        time: 0,
        timestamp: report.generatedAt,
        hostname: report.agent.host.hostname,
      })}`,
      '    <properties>',
      `      ${xmlTag('property', { name: 'verdict', value: dataset.verdict }, true)}`,
      `      ${xmlTag('property', { name: 'verdictText', value: cat.verdicts[dataset.verdict] }, true)}`,
      `      ${xmlTag('property', { name: 'agent', value: report.agent.id }, true)}`,
      `      ${xmlTag('property', { name: 'reportId', value: report.reportId }, true)}`,
      '    </properties>',
      ...dataset.findings.map((finding) => testcase(lang, dataset, finding)),
      '  </testsuite>',
    ];
  };
  const total = count(report.datasets.flatMap((dataset) => dataset.findings));
  const head = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    xmlTag('testsuites', {
      name: 'backup321',
      ...total,
      time: report.run.durationMs / 1000,
    }),
  ];
  return joinedLines(head, report.datasets, suite, () => ['</testsuites>', '']);
}
