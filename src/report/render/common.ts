// What every renderer shows the same way: status symbols, copy-table cells, evidence lines, policy values.
import { formatBytes } from '../../config/units.js';
import type {
  AssessedCopy,
  CheckStatus,
  Copy,
  EffectivePolicy,
  EvidenceList,
  Finding,
  RecordedChecksumSource,
  ReportSummary,
  ScrubFacts,
} from '../../model.js';
import { confirmationOf } from '../../policy/confirmation.js';
import { lockedLikeOffline } from '../../policy/offline.js';
import {
  catalogFor,
  countText,
  durationText,
  formatParam,
  interpolate,
  type Lang,
  mediumText,
  noteText,
  type TimeText,
  termText,
  timeFormatter,
  ui,
} from '../i18n/index.js';

export interface RenderOptions {
  lang: Lang;
  /** ANSI colour (text only); the CLI sets it on a TTY without NO_COLOR. */
  color?: boolean;
  /** Evidence under every finding, policy values and source facts (text; markdown and html always show them). */
  verbose?: boolean;
  /**
   * The IANA zone the human formats (text, markdown, html) show times in, with their offset; the CLI
   * passes the machine's. Without it times are shown as stored (UTC). JSON and JUnit keep UTC.
   */
  timeZone?: string;
}

/** How one rendering writes what it shows: the language, the reader's clock, and whole or cut hashes. */
export interface View {
  lang: Lang;
  time: TimeText;
  /** Documents (html, markdown) give the whole sha256; a terminal table the first 12 characters. */
  fullSha: boolean;
}

export function viewOf(options: RenderOptions, fullSha: boolean): View {
  return { lang: options.lang, time: timeFormatter(options.timeZone), fullSha };
}

/**
 * Paths, messages and ids come from disks and logs; a file named with an escape sequence must not be able to
 * repaint a terminal or break a table, so every control character is shown as \xNN.
 */
export function showControls(text: string): string {
  // Most text has none: one scan instead of rebuilding every cell a character at a time.
  if (!hasControl(text)) return text;
  let shown = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    shown += isControl(code) ? `\\x${code.toString(16).padStart(2, '0')}` : char;
  }
  return shown;
}

const isControl = (code: number) => code < 0x20 || (code >= 0x7f && code <= 0x9f);

function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) return true;
  return false;
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
 * target.push(...items) without the spread: a call's arguments go on the stack, and a big dataset's rows overflow it.
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

/** Enough of a sha256 to tell restore points apart in a terminal table; documents and JSON keep the full value. */
export function shaText(sha256: string, view: View): string {
  return view.fullSha ? sha256 : sha256.slice(0, 12);
}

/**
 * A copy's own hash, else what it is recorded to hold (a tape cannot be read here) and where that is
 * recorded; undefined when neither is known. An ETag's MD5 is no sha256, so it is not shown as one.
 */
export function checksumOf(copy: Copy): { sha256: string; source?: RecordedChecksumSource } | undefined {
  if (copy.sha256) return { sha256: copy.sha256 };
  if (copy.recorded && copy.recorded.source !== 'etag-md5')
    return { sha256: copy.recorded.value, source: copy.recorded.source };
  return undefined;
}

/** The checksum, and how and when the content was last confirmed (docs/policy.md, "Evidence kinds"). */
export function checksumCell(copy: Copy, view: View): string {
  const checksum = checksumOf(copy);
  if (!checksum) return ui(view.lang, 'unverified');
  const sha = shaText(checksum.sha256, view);
  const confirmation = confirmationOf(copy);
  const how = (note: string) => noteText(view.lang, note);
  switch (confirmation.kind) {
    case 'read':
      return `${sha} (${ui(view.lang, confirmation.by === 'hashed' ? 'readAt' : 'operatorVerifiedAt')} ${view.time(confirmation.at ?? '')})`;
    case 'store':
      return `${sha} (${how(confirmation.by)})`;
    default:
      return checksum.source ? `${sha} (${how(checksum.source)}, ${how('not-read-back')})` : sha;
  }
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

/** What the offline rule needs to say why a copy is not offline: the dataset's policy and the run's time. */
export interface OfflineRule {
  policy: EffectivePolicy;
  now: Date;
}

/**
 * Why a copy that could count as offline does not: the source's reason for media in an offline-media
 * log ("attached-now", "attachment-unknown", "state-online" …), or a lock the site counts as offline
 * that does not qualify. A copy that is simply on a disk has no such reason.
 */
export function notOfflineReason(copy: Copy, rule: OfflineRule): string | undefined {
  if (copy.offline) return undefined;
  if (copy.offlineReason) return copy.offlineReason;
  if (copy.locationType === 'offline-log') return 'not-offline';
  const locked = copy.immutable && rule.policy.immutableCountsAsOffline;
  return locked && !lockedLikeOffline(copy as AssessedCopy, rule.policy, rule.now) ? 'lock-not-counted' : undefined;
}

export function copyCells(copy: Copy | AssessedCopy, view: View, rule?: OfflineRule): CopyCells {
  const { lang, time } = view;
  const marks: string[] = [];
  if (copy.offline) marks.push(ui(lang, 'offline'));
  if (copy.immutable)
    marks.push(`${ui(lang, 'immutable')} ${copy.immutable.mode} → ${time(copy.immutable.retainUntil)}`);
  let notes = '';
  let age = '';
  if (isAssessed(copy)) {
    age = durationText(lang, copy.assessment.ageMs);
    const words = copy.assessment.notes.map((note) => noteText(lang, note));
    const offline = rule && notOfflineReason(copy, rule);
    if (offline) words.push(noteText(lang, offline));
    words.push(...copyHistory(copy, view));
    notes = copy.assessment.usable ? words.join('; ') : `${ui(lang, 'notCountedBecause')}: ${words.join('; ') || '?'}`;
  }
  return {
    location: copy.location,
    name: copy.name,
    path: copy.path,
    size: formatBytes(copy.bytes),
    age,
    modified: time(copy.modifiedAt),
    medium: mediumText(lang, copy.medium),
    device: copy.device,
    sha256: checksumCell(copy, view),
    marks: marks.join(', '),
    notes,
  };
}

/** The times and hashes behind a copy's notes: when its data was made, what its content hashed to before. */
function copyHistory(copy: AssessedCopy, view: View): string[] {
  const { lang, time } = view;
  const history: string[] = [];
  const { dataTime } = copy.assessment;
  if (dataTime && dataTime !== copy.modifiedAt) history.push(`${ui(lang, 'dataTime')} ${time(dataTime)}`);
  const changed = copy.contentChanged;
  if (changed) {
    history.push(
      `${ui(lang, 'previousSha256')} ${shaText(changed.previousSha256, view)} ` +
        `(${ui(lang, 'hashedAt')} ${time(changed.previousHashedAt)})`,
    );
  }
  return history;
}

function evidenceItems(lang: Lang, items: EvidenceList): string {
  return Array.from(items, (item) => (item.note ? `${item.copy} (${noteText(lang, item.note)})` : item.copy)).join(
    ', ',
  );
}

/** The evidence behind a finding as "label: value" lines, in the report's language. */
export function evidenceLines(lang: Lang, finding: Finding, time?: TimeText): string[] {
  const lines: string[] = [];
  const { counted, notCounted } = finding.evidence ?? {};
  if (counted?.length) lines.push(`${ui(lang, 'counted')}: ${evidenceItems(lang, counted)}`);
  if (notCounted?.length) lines.push(`${ui(lang, 'notCounted')}: ${evidenceItems(lang, notCounted)}`);
  return lines.concat(otherEvidenceLines(lang, finding, time));
}

/** The evidence that is not a list of copies: the arithmetic, unreadable locations, the drill. */
export function otherEvidenceLines(lang: Lang, finding: Finding, time?: TimeText): string[] {
  const lines: string[] = [];
  const { arithmetic, unreadable, drill } = finding.evidence ?? {};
  if (arithmetic && Object.keys(arithmetic).length > 0) {
    const terms = Object.entries(arithmetic)
      .filter(([, value]) => value !== '')
      .map(([name, value]) => {
        const shown =
          typeof value === 'string' && termText(lang, value) !== value
            ? termText(lang, value)
            : formatParam(name, value, lang, time);
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
    [ui(lang, 'rpo'), durationText(lang, policy.rpoMs)],
    [ui(lang, 'rto'), durationText(lang, policy.rtoMs)],
    [ui(lang, 'offlineMaxAge'), durationText(lang, policy.offlineMaxAgeMs)],
    [ui(lang, 'drillMaxAge'), durationText(lang, policy.drillMaxAgeMs)],
    [ui(lang, 'verifyMaxAge'), durationText(lang, policy.verifyMaxAgeMs)],
    [ui(lang, 'offlineVerifyMaxAge'), durationText(lang, policy.offlineVerifyMaxAgeMs)],
    [ui(lang, 'countPrimary'), yesNo(policy.countPrimary)],
    [ui(lang, 'immutableCountsAsOffline'), yesNo(policy.immutableCountsAsOffline)],
    [ui(lang, 'restoreOverhead'), durationText(lang, policy.restoreOverheadMs)],
    [ui(lang, 'clockSkew'), durationText(lang, policy.clockSkewMs)],
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

/**
 * What a deep verify within a budget read again, and how far behind it is: the copies its re-reading
 * covers that were not read within verifyMaxAge, and how many runs a full pass takes at this budget.
 */
export function scrubLine(lang: Lang, scrub: ScrubFacts): string {
  const runs = scrub.budgetBytes > 0 ? Math.max(1, Math.ceil(scrub.totalBytes / scrub.budgetBytes)) : 1;
  const params = {
    budgetBytes: scrub.budgetBytes,
    readBytes: scrub.readBytes,
    copiesRead: scrub.copiesRead,
    copiesTotal: scrub.copiesTotal,
    copiesNotReadRecently: countText(lang, scrub.copiesNotReadRecently, 'copies'),
    totalBytes: scrub.totalBytes,
    runs: countText(lang, runs, 'runs'),
  };
  return interpolate(ui(lang, 'scrubRun'), params, lang) ?? ui(lang, 'scrubRun');
}
