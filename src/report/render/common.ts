// What every renderer shows the same way: status symbols, copy-table cells, evidence lines, policy values.
import { formatBytes, formatDuration } from '../../config/units.js';
import type {
  AssessedCopy,
  CheckStatus,
  Copy,
  EffectivePolicy,
  EvidenceList,
  Finding,
  ReportSummary,
} from '../../model.js';
import { catalogFor, formatParam, type Lang, mediumText, noteText, termText, ui } from '../i18n/index.js';

export interface RenderOptions {
  lang: Lang;
  /** ANSI colour (text only); the CLI sets it on a TTY without NO_COLOR. */
  color?: boolean;
  /** Evidence under every finding, policy values and source facts (text; markdown and html always show them). */
  verbose?: boolean;
}

/**
 * Paths, messages and ids come from disks and logs; a file named with an escape sequence must not be able to
 * repaint a terminal or break a table, so every control character is shown as \xNN.
 */
export function showControls(text: string): string {
  let shown = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    shown += code < 0x20 || (code >= 0x7f && code <= 0x9f) ? `\\x${code.toString(16).padStart(2, '0')}` : char;
  }
  return shown;
}

/** Left-aligned columns; widths count code points, which is right for the NFC text the catalogs hold. */
export function layoutTable(rows: string[][], indent: string): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, [...cell].length);
  }
  return rows.map((row) =>
    (indent + row.map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - [...cell].length)).join('  ')).trimEnd(),
  );
}

/**
 * target.push(...items) without the spread: a call's arguments go on the stack, and a dataset of
 * 200,000 copies (one table row each) overflowed it ("Maximum call stack size exceeded").
 */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/**
 * `[...head, ...part(item) for each item, ...tail].join('\n')`, in pieces: the head, each item's
 * lines, the tail. A renderer then holds one dataset's lines at a time, not the whole document.
 */
export function* joinedLines<T>(
  head: readonly string[],
  items: Iterable<T>,
  part: (item: T) => readonly string[],
  tail: () => readonly string[],
): Generator<string> {
  let first = true;
  const piece = (lines: readonly string[]): string => {
    const text = `${first ? '' : '\n'}${lines.join('\n')}`;
    first = false;
    return text;
  };
  if (head.length > 0) yield piece(head);
  for (const item of items) {
    const lines = part(item);
    if (lines.length > 0) yield piece(lines);
  }
  const last = tail();
  if (last.length > 0) yield piece(last);
}

export const STATUS_SYMBOL: Record<CheckStatus, string> = {
  pass: '✓',
  warn: '!',
  fail: '✗',
  unknown: '?',
};

export function isAssessed(copy: Copy | AssessedCopy): copy is AssessedCopy {
  return 'assessment' in copy && copy.assessment !== undefined;
}

/** Enough of a sha256 to tell restore points apart in a table; the JSON report keeps the full value. */
export function shortSha(sha256: string | undefined, lang: Lang): string {
  return sha256 ? sha256.slice(0, 12) : ui(lang, 'unverified');
}

/** A copy's own hash, else what it is recorded to hold (a tape cannot be read here) and where that is recorded. */
export function checksumCell(copy: Copy, lang: Lang): string {
  if (copy.sha256) return shortSha(copy.sha256, lang);
  if (copy.recorded && copy.recorded.source !== 'etag-md5')
    return `${shortSha(copy.recorded.value, lang)} (${copy.recorded.source})`;
  return ui(lang, 'unverified');
}

export interface CopyCells {
  location: string;
  name: string;
  path: string;
  size: string;
  age: string;
  modified: string;
  medium: string;
  device: string;
  sha256: string;
  marks: string;
  notes: string;
}

export function copyCells(copy: Copy | AssessedCopy, lang: Lang): CopyCells {
  const marks: string[] = [];
  if (copy.offline) marks.push(ui(lang, 'offline'));
  if (copy.immutable) marks.push(`${ui(lang, 'immutable')} ${copy.immutable.mode} → ${copy.immutable.retainUntil}`);
  let notes = '';
  let age = '';
  if (isAssessed(copy)) {
    age = formatDuration(copy.assessment.ageMs);
    const words = copy.assessment.notes.map((note) => noteText(lang, note));
    notes = copy.assessment.usable ? words.join('; ') : `${ui(lang, 'notCountedBecause')}: ${words.join('; ') || '?'}`;
  }
  return {
    location: copy.location,
    name: copy.name,
    path: copy.path,
    size: formatBytes(copy.bytes),
    age,
    modified: copy.modifiedAt,
    medium: mediumText(lang, copy.medium),
    device: copy.device,
    sha256: checksumCell(copy, lang),
    marks: marks.join(', '),
    notes,
  };
}

function evidenceItems(lang: Lang, items: EvidenceList): string {
  return Array.from(items, (item) => (item.note ? `${item.copy} (${noteText(lang, item.note)})` : item.copy)).join(
    ', ',
  );
}

/** The evidence behind a finding as "label: value" lines, in the report's language. */
export function evidenceLines(lang: Lang, finding: Finding): string[] {
  const lines: string[] = [];
  const { counted, notCounted, arithmetic, unreadable, drill } = finding.evidence ?? {};
  if (counted?.length) lines.push(`${ui(lang, 'counted')}: ${evidenceItems(lang, counted)}`);
  if (notCounted?.length) lines.push(`${ui(lang, 'notCounted')}: ${evidenceItems(lang, notCounted)}`);
  if (arithmetic && Object.keys(arithmetic).length > 0) {
    const terms = Object.entries(arithmetic)
      .filter(([, value]) => value !== '')
      .map(([name, value]) => {
        const shown = typeof value === 'string' ? termText(lang, value) : formatParam(name, value, lang);
        return `${termText(lang, name)} = ${shown}`;
      });
    lines.push(`${ui(lang, 'calculation')}: ${terms.join(', ')}`);
  }
  if (unreadable?.length) lines.push(`${ui(lang, 'unreadableLocations')}: ${unreadable.join(', ')}`);
  if (drill) lines.push(`${ui(lang, 'drill')}: ${drill}`);
  return lines;
}

/** The policy values an auditor compares the findings with, as label/value pairs. */
export function policyRows(lang: Lang, policy: EffectivePolicy): [string, string][] {
  const yesNo = (value: boolean) => ui(lang, value ? 'yes' : 'no');
  return [
    [ui(lang, 'minCopies'), String(policy.minCopies)],
    [ui(lang, 'minMedia'), String(policy.minMedia)],
    [ui(lang, 'minOffline'), String(policy.minOffline)],
    [ui(lang, 'rpo'), formatDuration(policy.rpoMs)],
    [ui(lang, 'rto'), formatDuration(policy.rtoMs)],
    [ui(lang, 'offlineMaxAge'), formatDuration(policy.offlineMaxAgeMs)],
    [ui(lang, 'drillMaxAge'), formatDuration(policy.drillMaxAgeMs)],
    [ui(lang, 'countPrimary'), yesNo(policy.countPrimary)],
  ];
}

/** "4 datasets: 1 compliant, 1 at risk, 2 non-compliant, 0 unknown" in the report's language. */
export function summaryLine(lang: Lang, summary: ReportSummary): string {
  const cat = catalogFor(lang);
  return (
    `${ui(lang, 'datasets')}: ${summary.datasets} — ${summary.compliant} ${cat.verdicts.compliant}, ` +
    `${summary.atRisk} ${cat.verdicts['at-risk']}, ${summary.nonCompliant} ${cat.verdicts['non-compliant']}, ` +
    `${summary.unknown} ${cat.verdicts.unknown}; ${ui(lang, 'totalCopies')}: ${summary.copies}; ` +
    `${ui(lang, 'sourcesUnreadable')}: ${summary.sourcesUnreadable}`
  );
}
