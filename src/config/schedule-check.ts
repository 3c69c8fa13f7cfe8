// The schedule's problems, found before the agent starts: `config check` and the agent report them
// with their JSON path, in the reader's language.
import { parse, validateDetailed } from 'node-cron';
import type { ConfigProblem } from '../errors.js';
import { cronSlots } from './cron-slots.js';
import { configProblem } from './problem.js';

export interface ScheduleConfig {
  verify: string;
  deepVerify: string;
  timezone?: string;
}

/** Runs closer together than this hash and list all day: allowed (tests use them) but warned about. */
const FREQUENT_MS = 60_000;

export function validateSchedule(schedule: ScheduleConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const timezoneKnown = schedule.timezone === undefined || isTimeZone(schedule.timezone);
  if (!timezoneKnown) {
    problems.push(
      configProblem('schedule.timezone', 'config.schedule-timezone', { timezone: schedule.timezone ?? '' }),
    );
  }
  for (const key of ['verify', 'deepVerify'] as const) {
    const expression = schedule[key];
    const path = `schedule.${key}`;
    const { valid, errors } = validateDetailed(expression);
    if (!valid) {
      // node-cron's own words (English) for what is wrong with the field.
      const reason = errors[0]?.message ?? 'not a cron expression';
      problems.push(configProblem(path, 'config.schedule-expression', { expression, reason }));
      continue;
    }
    // One second of each minute: runs are a minute apart at least. Only an expression with a seconds
    // field is worth node-cron's matcher, which takes ≈ 0.1 s of every command's start to walk 1,000 runs.
    if (!timezoneKnown || parse(expression).second.length < 2) continue;
    const slots = cronSlots(expression, schedule.timezone);
    slots.dispose();
    if (slots.longestGapMs < FREQUENT_MS) {
      const seconds = Math.round(slots.longestGapMs / 1000);
      problems.push(configProblem(path, 'config.schedule-frequent', { expression, seconds }, 'warning'));
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
