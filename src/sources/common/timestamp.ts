// The one strict reader of the operator logs' times (media events, drills, and the commands that append them).
import { type Problem, problemText } from '../../issues.js';

/**
 * ISO 8601 with a zone: a log moved between servers (or read by the collector) must not change
 * meaning with the reader's TZ, so date-only and zone-less times are refused. `T` or a space between
 * date and time, seconds and a fraction optional, `Z` or an offset (`+07:00`, `+0700`).
 */
const ISO_WITH_ZONE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/i;

/** Real offsets run from −12:00 to +14:00; anything beyond is a typo, not a zone. */
const MAX_OFFSET_MINUTES = 14 * 60;

/** How far ahead of this machine's clock a logged time may lie when no policy says otherwise (the policy's default). */
export const DEFAULT_CLOCK_SKEW_MS = 5 * 60_000;

/** `problem` in English for the commands that append; `why` for a log line's issue, in any language. */
export type TimestampCheck = { ok: true; iso: string; ms: number } | { ok: false; problem: string; why: Problem };

/** A refused value, with its reason in English beside the reason's phrase. */
export function refused(why: Problem): { ok: false; problem: string; why: Problem } {
  return { ok: false, problem: problemText(why), why };
}

/**
 * Reads `value` as the time in field `field`. Date.parse alone is not enough: it rolls an impossible
 * date over (`2026-02-30` becomes March 2), so a typo would move a backup or a drill by days.
 * Returns the UTC ISO form (`toISOString`) or a problem naming the field.
 */
export function checkTimestamp(field: string, value: unknown): TimestampCheck {
  const text = typeof value === 'string' ? value.trim() : undefined;
  const parts = text === undefined ? null : ISO_WITH_ZONE.exec(text);
  if (!parts) {
    if (value === undefined) return refused({ problem: 'time.format-none', field });
    return refused({ problem: 'time.format', field, got: JSON.stringify(value) });
  }
  const part = (index: number): number => Number(parts[index] ?? 0);
  const [year, month, day, hour, minute, second] = [part(1), part(2), part(3), part(4), part(5), part(6)];
  const got = JSON.stringify(value);
  if (month < 1 || month > 12) return refused({ problem: 'time.month', field, got, month: parts[2] ?? '' });
  const days = daysInMonth(year, month);
  if (day < 1 || day > days)
    return refused({ problem: 'time.day', field, got, month: `${parts[1]}-${parts[2]}`, days });
  if (hour > 23 || minute > 59 || second > 59) return refused({ problem: 'time.clock', field, got });
  let offsetMinutes = 0;
  if (!parts[8]) {
    offsetMinutes = (part(10) * 60 + part(11)) * (parts[9] === '-' ? -1 : 1);
    if (part(11) > 59 || Math.abs(offsetMinutes) > MAX_OFFSET_MINUTES) {
      return refused({ problem: 'time.offset', field, got });
    }
  }
  const millis = Number((parts[7] ?? '').padEnd(3, '0').slice(0, 3));
  const local = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, millis);
  const ms = local.getTime() - offsetMinutes * 60_000;
  return { ok: true, iso: new Date(ms).toISOString(), ms };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The run's clock as the logs are judged against it: its reading, and how far ahead a time may lie. */
export interface LogClock {
  nowMs: number;
  skewMs: number;
}

/** The clock of a command run by hand: this machine's time and the default skew. */
export function commandClock(): LogClock {
  return { nowMs: Date.now(), skewMs: DEFAULT_CLOCK_SKEW_MS };
}

/** True when `ms` lies further ahead of the run's clock than other machines' clocks plausibly run. */
export function isFutureDated(ms: number, clock: LogClock): boolean {
  return ms > clock.nowMs + clock.skewMs;
}

/** "2062-11-20T09:00:00.000Z is more than 5 min ahead of this machine's clock (2026-11-24T00:00:00.000Z)". */
export function futureDated(iso: string, clock: LogClock): string {
  return `${iso} is more than ${minutes(clock.skewMs)} ahead of this machine's clock (${new Date(clock.nowMs).toISOString()})`;
}

function minutes(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`;
}

/** A future time's params for its B321_FUTURE_TIME issue: what futureDated() says, as values. */
export function futureParams(iso: string, clock: LogClock): { time: string; skewMinutes: number; clock: string } {
  return { time: iso, skewMinutes: clock.skewMs / 60_000, clock: new Date(clock.nowMs).toISOString() };
}
