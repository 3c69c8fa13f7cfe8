// Times as the collector's clock shows them: no script runs in the browser to use the viewer's zone,
// so every time carries its offset ("2026-12-06 18:04 +07:00") and means one instant wherever it is read.
import { timeFormatter } from '../../report/i18n/index.js';

export interface Clocks {
  /** Minutes, for pages: "2026-12-06 18:04 +07:00". */
  short(iso: string | null): string;
  /** Seconds, for the printable report: "2026-12-06 18:04:05 +07:00". */
  full(iso: string | null): string;
}

export function clocksIn(timeZone: string): Clocks {
  const format = timeFormatter(timeZone);
  const split = (iso: string) => {
    const text = format(iso);
    // "2026-12-06 18:04:05+07:00"; anything else (not a time) is shown as it came.
    const match = /^(\d{4}-\d\d-\d\d \d\d:\d\d)(:\d\d)(.*)$/.exec(text);
    return match ? { minutes: match[1] as string, seconds: match[2] as string, offset: match[3] as string } : null;
  };
  return {
    short(iso) {
      if (iso === null) return '—';
      const parts = split(iso);
      return parts ? `${parts.minutes} ${parts.offset}` : iso;
    },
    full(iso) {
      if (iso === null) return '—';
      const parts = split(iso);
      return parts ? `${parts.minutes}${parts.seconds} ${parts.offset}` : iso;
    },
  };
}
