// The one-line status a monitoring system shows (Nagios plugin style: status word, counts, perfdata).
import type { Report } from '../../model.js';

const STATUS_WORD = {
  0: 'OK',
  1: 'WARNING',
  2: 'CRITICAL',
  3: 'UNKNOWN',
} as const;

const WORDS = {
  en: {
    datasets: 'datasets',
    compliant: 'compliant',
    atRisk: 'at risk',
    nonCompliant: 'non-compliant',
    unknown: 'unknown',
  },
  vi: {
    datasets: 'tập dữ liệu',
    compliant: 'tuân thủ',
    atRisk: 'có rủi ro',
    nonCompliant: 'không tuân thủ',
    unknown: 'không xác định',
  },
} as const;

export function summaryLine(report: Report, lang: 'en' | 'vi' = 'en'): string {
  const s = report.summary;
  const w = WORDS[lang];
  const counts = `${s.datasets} ${w.datasets}: ${s.compliant} ${w.compliant}, ${s.atRisk} ${w.atRisk}, ${s.nonCompliant} ${w.nonCompliant}, ${s.unknown} ${w.unknown}`;
  const perfdata = `compliant=${s.compliant} at_risk=${s.atRisk} non_compliant=${s.nonCompliant} unknown=${s.unknown} copies=${s.copies}`;
  return `BACKUP321 ${STATUS_WORD[s.exitCode]} - ${counts} | ${perfdata}`;
}
