// Looks up report strings by language and renders finding messages from reason + params (falling back to English).
import { formatBytes, formatThroughput } from '../../config/units.js';
import { fillIssueTemplate } from '../../issues.js';
import type { Finding, MediumClass, SourceIssue } from '../../model.js';
import { en } from './en.js';
import type { Catalog, CountedThing, Lang, UiKey } from './types.js';
import { durationIn, type TimeText } from './units.js';
import { vi } from './vi.js';

export { en } from './en.js';
export { timeFormatter, type TimeText } from './units.js';
export { vi } from './vi.js';
export * from './types.js';

const CATALOGS: Record<Lang, Catalog> = { en, vi };

export function catalogFor(lang: Lang): Catalog {
  return CATALOGS[lang];
}

export function ui(lang: Lang, key: UiKey): string {
  return CATALOGS[lang].ui[key];
}

/** "1d 2h", "1 phút 8 giây", "< 1 s". */
export function durationText(lang: Lang, ms: number): string {
  return durationIn(CATALOGS[lang].durations, ms);
}

/** "1 copy", "2 copies", "2 bản sao". */
export function countText(lang: Lang, count: number, thing: CountedThing): string {
  const words = CATALOGS[lang].counts[thing];
  return `${count} ${count === 1 ? words.one : words.other}`;
}

/**
 * How a param value is shown: the name says the unit, so the policy can pass raw numbers
 * (`…Ms` durations, `…Bytes` sizes, `…BytesPerSec` rates) and each language formats them the same way;
 * `…At` and `…Time` times are shown in the reader's time zone when `time` is given.
 */
export function formatParam(name: string, value: string | number, lang: Lang = 'en', time?: TimeText): string {
  if (typeof value === 'number') {
    if (name.endsWith('Ms')) return durationText(lang, value);
    if (name.endsWith('BytesPerSec')) return formatThroughput(value);
    if (name.endsWith('Bytes') || name === 'bytes') return formatBytes(value);
    return String(value);
  }
  // A list of medium classes ("disk, tape") reads better in the report's language.
  if (name === 'media')
    return value
      .split(/\s*,\s*/)
      .map((part) => mediumText(lang, part))
      .join(', ');
  if (time && (name.endsWith('At') || name.endsWith('Time'))) return time(value);
  return value;
}

/** Fills {name} placeholders; undefined when the template asks for a param that is not there. */
export function interpolate(
  template: string,
  params: Record<string, string | number>,
  lang: Lang = 'en',
  time?: TimeText,
): string | undefined {
  let missing = false;
  const text = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) {
      missing = true;
      return '';
    }
    return formatParam(name, value, lang, time);
  });
  return missing ? undefined : text;
}

/**
 * The finding's one-line message in `lang`. The policy and the catalogs are written separately, so a reason
 * without a catalog entry, or an entry whose params the finding lacks, falls back to the policy's English text.
 */
export function findingMessage(lang: Lang, finding: Finding, time?: TimeText): string {
  const templates = CATALOGS[lang].findings as Record<string, string | undefined>;
  const template = templates[`${finding.check}.${finding.reason}`];
  if (template === undefined) return finding.message;
  return interpolate(template, finding.params ?? {}, lang, time) ?? finding.message;
}

/**
 * A copy-assessment or evidence note in words. Policy joins several codes with commas ("stale,corrupt") and
 * also notes medium classes and times ("tape", "5400000ms"); anything else (free text) is shown as it is.
 */
export function noteText(lang: Lang, note: string): string {
  const notes = CATALOGS[lang].notes as Record<string, string | undefined>;
  return note
    .split(',')
    .map((part) => part.trim())
    .map((part) => {
      const ms = /^(\d+)ms$/.exec(part);
      if (ms) return durationText(lang, Number(ms[1]));
      // How an offline copy counts: "object-lock COMPLIANCE".
      const lock = /^object-lock (\w+)$/.exec(part);
      if (lock) return `${notes['object-lock'] ?? 'Object Lock'} ${lock[1]}`;
      return notes[part] ?? mediumText(lang, part);
    })
    .join('; ');
}

/** An arithmetic term's name, or a string value such as "measured", in the report's language. */
export function termText(lang: Lang, term: string): string {
  return (CATALOGS[lang].terms as Record<string, string | undefined>)[term] ?? term;
}

export function mediumText(lang: Lang, medium: MediumClass | string): string {
  return (CATALOGS[lang].media as Record<string, string | undefined>)[medium] ?? medium;
}

/**
 * A source issue's message in `lang`: the catalog's template for its code filled with its params, as
 * they are. An issue without params (a report written before they existed), or a code or phrase the
 * catalog does not know (a newer agent's), shows the English message the source stored.
 */
export function issueMessage(lang: Lang, issue: SourceIssue): string {
  if (!issue.params) return issue.message;
  const catalog = CATALOGS[lang];
  const template = (catalog.issues as Record<string, string | undefined>)[issue.code];
  if (template === undefined) return issue.message;
  const filled = fillIssueTemplate(issue.code, template, catalog.phrases, issue.params);
  return filled.complete ? filled.text : issue.message;
}
