// A cron expression's runs, through node-cron's own parser and time-zone-aware matcher. Only the matcher is
// used, not node-cron's runner: after a forward clock jump the runner walks and reports every slot it
// missed (one event per slot: 5,400 for three hours of a 2-second expression), and after a backward step
// it stays silent until the wall clock is back where it was (docs/agent-watch.md).
import { createTask, parse } from 'node-cron';

/** Runs looked at to find the longest gap: 1,000 covers ten days of a 15-minute expression, years of a nightly one. */
const GAP_SAMPLE = 1000;

export interface CronSlots {
  /** The first run after the wall clock's present (node-cron reads `new Date()`). */
  next(): Date;
  /** The latest run in (fromMs, toMs], or undefined when none falls there. */
  latestIn(fromMs: number, toMs: number): Date | undefined;
  /** The longest gap between two consecutive runs: every window that long holds at least one run. */
  longestGapMs: number;
  /** Removes the matcher from node-cron's registry of tasks. */
  dispose(): void;
}

export function cronSlots(expression: string, timezone?: string): CronSlots {
  // A task never started is node-cron's public handle on its matcher; it is never run.
  const task = createTask(expression, () => undefined, timezone ? { timezone } : {});
  const runs = task.getNextRuns(GAP_SAMPLE).map((run) => run.getTime());
  let longestGapMs = 0;
  for (let i = 1; i < runs.length; i++)
    longestGapMs = Math.max(longestGapMs, (runs[i] as number) - (runs[i - 1] as number));
  // Runs fall on whole seconds, and only on the seconds the expression names (0 for a five-field one).
  const seconds = [...parse(expression).second].sort((a, b) => b - a);
  return {
    next: () => task.getNextRuns(1)[0] as Date,
    latestIn(fromMs, toMs) {
      // A window at least as long as the longest gap holds a run within its last longestGapMs: the scan
      // stays that short however far the clock jumped.
      const from = Math.max(fromMs, toMs - longestGapMs);
      for (let minute = Math.floor(toMs / 60_000) * 60_000; minute > from - 60_000; minute -= 60_000) {
        for (const second of seconds) {
          const at = minute + second * 1000;
          if (at <= toMs && at > from && task.match(new Date(at))) return new Date(at);
        }
      }
      return undefined;
    },
    longestGapMs,
    dispose: () => task.destroy(),
  };
}
