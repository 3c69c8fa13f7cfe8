// Times typed or read by `media` and `drill`, refused in the catalog's words: named by the flag, and "ahead of the clock".
import { type Message, type MessageParams, msg } from '../messages/index.js';
import type { LogClock, TimestampFault } from '../sources/timestamp.js';

/** Why a time given as `flag` was refused: "--started "2026-02-30T08:00:00Z" is not a date: 2026-02 has 28 days". */
export function timeFault(flag: string, fault: TimestampFault): Message {
  const { kind, ...params } = fault;
  return msg(`time.${kind}`, { field: flag, ...params });
}

/** What a message about a time further ahead of the clock than its skew names: the time, the skew, the clock. */
export function aheadOfClock(iso: string, clock: LogClock): MessageParams {
  const skew =
    clock.skewMs % 60_000 === 0
      ? msg('time.skew-minutes', { n: clock.skewMs / 60_000 })
      : msg('time.skew-seconds', { n: clock.skewMs / 1000 });
  return { time: iso, skew, now: new Date(clock.nowMs).toISOString() };
}
