// Times typed or read by `media` and `drill`, refused in the catalog's words: named by the flag, and "ahead of the clock".
import { type Message, type MessageParams, msg } from '../messages/index.js';
import type { Problem } from '../issues.js';
import type { LogClock } from '../sources/common/timestamp.js';

/** The timestamp reader's reasons (its phrase keys) as the commands' catalog names them. */
const KIND_OF: Record<string, 'not-iso' | 'no-month' | 'not-a-date' | 'not-a-time' | 'bad-offset'> = {
  'time.format': 'not-iso',
  'time.format-none': 'not-iso',
  'time.month': 'no-month',
  'time.day': 'not-a-date',
  'time.clock': 'not-a-time',
  'time.offset': 'bad-offset',
};

/** Why a time given as `flag` was refused: "--started "2026-02-30T08:00:00Z" is not a date: 2026-02 has 28 days". */
export function timeFault(flag: string, why: Problem): Message {
  const { problem, field: _field, got, month, days } = why;
  const value = got === undefined ? 'nothing' : String(got);
  const kind = KIND_OF[problem] ?? 'not-iso';
  if (kind === 'no-month') return msg('time.no-month', { field: flag, value, month: String(month ?? '') });
  if (kind === 'not-a-date')
    return msg('time.not-a-date', { field: flag, value, yearMonth: String(month ?? ''), days: Number(days ?? 0) });
  return msg(`time.${kind}`, { field: flag, value });
}

/** What a message about a time further ahead of the clock than its skew names: the time, the skew, the clock. */
export function aheadOfClock(iso: string, clock: LogClock): MessageParams {
  const skew =
    clock.skewMs % 60_000 === 0
      ? msg('time.skew-minutes', { n: clock.skewMs / 60_000 })
      : msg('time.skew-seconds', { n: clock.skewMs / 1000 });
  return { time: iso, skew, now: new Date(clock.nowMs).toISOString() };
}
