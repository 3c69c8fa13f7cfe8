// The schedule's problems, found before the agent starts: `config check` reports them with their JSON path.
import { validateDetailed } from 'node-cron';
import { cronSlots } from './cron-slots.js';

export type ScheduleProblemCode = 'schedule.expression' | 'schedule.timezone' | 'schedule.frequent';

export interface ScheduleProblem {
  /** JSON path in the form users read: "schedule.verify". */
  path: string;
  /** Stable: tools match on it. */
  code: ScheduleProblemCode;
  severity: 'error' | 'warning';
  /** In English; `params` hold the values it names, for a catalog to render it in other languages. */
  message: string;
  hint: string;
  params: Record<string, string | number>;
}

export interface ScheduleConfig {
  verify: string;
  deepVerify: string;
  timezone?: string;
}

/** Runs closer together than this hash and list all day: allowed (tests use them) but warned about. */
const FREQUENT_MS = 60_000;

const EXPRESSION_HINT =
  'Five fields (minute hour day-of-month month day-of-week), e.g. "*/15 * * * *", or six with the seconds first.';

export function validateSchedule(schedule: ScheduleConfig): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  const timezoneKnown = schedule.timezone === undefined || isTimeZone(schedule.timezone);
  if (!timezoneKnown) {
    problems.push({
      path: 'schedule.timezone',
      code: 'schedule.timezone',
      severity: 'error',
      message: `"${schedule.timezone}" is not a time zone this system knows.`,
      hint: 'An IANA time zone name such as "Europe/Paris", "Asia/Ho_Chi_Minh" or "UTC"; without it the system time zone is used.',
      params: { timezone: schedule.timezone ?? '' },
    });
  }
  for (const key of ['verify', 'deepVerify'] as const) {
    const expression = schedule[key];
    const path = `schedule.${key}`;
    const { valid, errors } = validateDetailed(expression);
    if (!valid) {
      const reason = errors[0]?.message ?? 'not a cron expression';
      problems.push({
        path,
        code: 'schedule.expression',
        severity: 'error',
        message: `"${expression}" is not a cron expression: ${reason}.`,
        hint: EXPRESSION_HINT,
        params: { expression, reason },
      });
      continue;
    }
    if (!timezoneKnown) continue;
    const slots = cronSlots(expression, schedule.timezone);
    slots.dispose();
    if (slots.longestGapMs < FREQUENT_MS) {
      problems.push({
        path,
        code: 'schedule.frequent',
        severity: 'warning',
        message: `"${expression}" runs every ${Math.round(slots.longestGapMs / 1000)} s: each run lists every location again.`,
        hint: 'A verify every few minutes at most is usually enough, e.g. "*/15 * * * *"; the six-field form with seconds is meant for tests.',
        params: { expression, seconds: Math.round(slots.longestGapMs / 1000) },
      });
    }
  }
  return problems;
}

function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}
