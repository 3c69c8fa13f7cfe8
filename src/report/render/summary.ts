// The one-line status a monitoring system shows (Nagios plugin style: status word, counts, perfdata).
import type { Report } from '../../model.js';
import { catalogFor, countText } from '../i18n/index.js';
import type { Lang } from '../i18n/types.js';

// Monitoring systems parse these words, so they stay English in every language.
const STATUS_WORD = { 0: 'OK', 1: 'WARNING', 2: 'CRITICAL', 3: 'UNKNOWN' } as const;

export function statusLine(report: Report, lang: Lang = 'en'): string {
  const s = report.summary;
  const { verdicts } = catalogFor(lang);
  const counts = `${countText(lang, s.datasets, 'datasets')}: ${s.compliant} ${verdicts.compliant}, ${s.atRisk} ${verdicts['at-risk']}, ${s.nonCompliant} ${verdicts['non-compliant']}, ${s.unknown} ${verdicts.unknown}`;
  const perfdata = `compliant=${s.compliant} at_risk=${s.atRisk} non_compliant=${s.nonCompliant} unknown=${s.unknown} copies=${s.copies}`;
  return `BACKUP321 ${STATUS_WORD[s.exitCode]} - ${counts} | ${perfdata}`;
}
