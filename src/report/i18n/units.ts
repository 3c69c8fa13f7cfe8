// Durations, counts and times as a reader of the report's language and time zone writes them.
import type { DurationWords } from './types.js';

const UNITS = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
] as const;

/**
 * The two largest units ("1d 2h", "1 phút 8 giây"). Under a second is "< 1 s": the probes and clocks
 * behind these numbers do not measure milliseconds that mean anything (the JSON keeps the exact value).
 */
export function durationIn(words: DurationWords, ms: number): string {
  if (!Number.isFinite(ms)) return '∞';
  let rest = Math.abs(Math.round(ms));
  if (rest === 0) return words.zero;
  if (rest < 1000) return words.underSecond;
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    if (count === 0) continue;
    parts.push(words[unit].replace('{n}', String(count)));
    rest -= count * size;
    if (parts.length === 2) break;
  }
  return (ms < 0 ? '-' : '') + parts.join(' ');
}

/** An ISO time as the reader's clock shows it; the text as it is when it is not a time. */
export type TimeText = (iso: string) => string;

/**
 * "2026-11-24 19:00:00+07:00" (RFC 3339, as `date --rfc-3339=seconds` writes it): local time with its
 * offset, so a reader in Hanoi need not add seven hours and a reader elsewhere still knows the instant.
 * Without a zone, times are shown as stored (UTC). One Intl formatter serves a whole report.
 */
export function timeFormatter(timeZone: string | undefined): TimeText {
  if (!timeZone) return (iso) => iso;
  const format = zoneFormat(timeZone);
  // Offsets change only at transitions, which fall on a quarter hour of UTC: one Intl call per quarter hour seen.
  const offsets = new Map<number, Offset>();
  const offsetAt = (instant: number): Offset => {
    const quarter = Math.floor(instant / 900_000);
    let offset = offsets.get(quarter);
    if (offset === undefined) {
      const name = format.formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ?? '';
      // "GMT+07:00", or "GMT" itself for a zero offset.
      const text = name.replace(/^GMT/, '') || '+00:00';
      offset = { text, ms: offsetMs(text) };
      if (offsets.size >= 4096) offsets.clear();
      offsets.set(quarter, offset);
    }
    return offset;
  };
  return (iso) => {
    const instant = Date.parse(iso);
    if (Number.isNaN(instant) || !ISO_DATE.test(iso) || !isRealDay(iso)) return iso;
    const offset = offsetAt(instant);
    const local = new Date(instant + offset.ms).toISOString();
    return `${local.slice(0, 10)} ${local.slice(11, 19)}${offset.text}`;
  };
}

interface Offset {
  text: string;
  ms: number;
}

const ISO_DATE = /^\d{4}-\d\d-\d\dT/;

/** V8 reads "2026-02-30" as March 2: a time shown shifted would hide the bad date it came from. */
function isRealDay(iso: string): boolean {
  const day = Number(iso.slice(8, 10));
  if (day >= 1 && day <= 28) return true;
  const lastDay = new Date(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), 0)).getUTCDate();
  return day >= 1 && day <= lastDay;
}

/** "+07:00", "-02:30", "+07:06:30" (a zone's local mean time before 1906) in milliseconds. */
function offsetMs(offset: string): number {
  const [hours = 0, minutes = 0, seconds = 0] = offset.slice(1).split(':').map(Number);
  return (offset.startsWith('-') ? -1 : 1) * ((hours * 60 + minutes) * 60 + seconds) * 1000;
}

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  const options: Intl.DateTimeFormatOptions = {
    timeZoneName: 'longOffset',
  };
  try {
    return new Intl.DateTimeFormat('en-US', { ...options, timeZone });
  } catch {
    // A zone this Node does not know: UTC, which the offset then says, rather than no report.
    return new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' });
  }
}
