// When the agent runs: the quick verify and the deep one, from two cron expressions in a time zone.
// One loop looks at the wall clock at each run's time (and at least every tickMs) and asks node-cron's
// matcher which slots fell since its last look: however many did, that is one run (deep when a deep slot
// is among them). So a clock jumped forward, a resume from suspend or a stalled process gives one
// catch-up run, not a storm; a clock stepped back restarts the count from the new time, so the next run
// is at most one interval away instead of waiting for the clock to return to where it was.
import type { Logger } from 'pino';
import { type CronSlots, cronSlots } from '../config/cron-slots.js';

export type DueKind = 'schedule' | 'deep';

export interface DueRun {
  /** The latest slot that fell due (of the deep expression when kind is 'deep'). */
  slot: Date;
  /** How long after the slot the schedule noticed it: large after a clock jump, a suspend or a stall. */
  lateMs: number;
}

export interface ScheduleOptions {
  verify: string;
  deepVerify: string;
  timezone?: string;
  onDue: (kind: DueKind, run: DueRun) => void;
  logger: Logger;
  /** The longest the schedule sleeps without looking at the clock (default 60 s, at most the verify's gap). */
  tickMs?: number;
}

export interface Schedule {
  start(): void;
  /** Final: the matchers are released. */
  stop(): void;
  /** The soonest next run (of one kind, or of either), or null when not started. */
  nextRunAt(kind?: DueKind): Date | null;
  /** The longest gap between two runs of the kind's expression. */
  intervalMs(kind: DueKind): number;
}

const DEFAULT_TICK_MS = 60_000;
/** A look later than its tick by more than this means the clock jumped, the machine slept or the process stalled. */
const STALL_MS = 10_000;

export function createSchedule(options: ScheduleOptions): Schedule {
  const { onDue, logger } = options;
  const slots: Record<DueKind, CronSlots> = {
    schedule: cronSlots(options.verify, options.timezone),
    deep: cronSlots(options.deepVerify, options.timezone),
  };
  const tickMs = Math.min(options.tickMs ?? DEFAULT_TICK_MS, slots.schedule.longestGapMs);
  // A step back shorter than this is waited out (nothing can fall due twice); a longer one restarts the count.
  const stepBackGraceMs = tickMs;
  let lastLook = 0;
  let timer: NodeJS.Timeout | undefined;
  let state: 'new' | 'started' | 'stopped' = 'new';

  const arm = () => {
    const next = Math.min(slots.schedule.next().getTime(), slots.deep.next().getTime());
    timer = setTimeout(look, Math.min(Math.max(next - Date.now(), 1), tickMs));
  };

  const look = () => {
    const now = Date.now();
    if (now < lastLook) {
      if (lastLook - now > stepBackGraceMs) {
        logger.warn({ steppedBackMs: lastLook - now }, 'the clock stepped back: the schedule counts from the new time');
        lastLook = now;
      }
      arm();
      return;
    }
    const slot = slots.deep.latestIn(lastLook, now);
    const kind: DueKind = slot ? 'deep' : 'schedule';
    const due = slot ?? slots.schedule.latestIn(lastLook, now);
    const sinceLastLookMs = now - lastLook;
    lastLook = now;
    if (due) {
      if (sinceLastLookMs > tickMs + STALL_MS) {
        logger.info(
          { kind, sinceLastLookMs, slot: due.toISOString() },
          'the clock moved on further than the schedule waited (clock jump, suspend or stall): one run for the time missed',
        );
      }
      dispatch(kind, { slot: due, lateMs: now - due.getTime() });
    }
    arm();
  };

  const dispatch = (kind: DueKind, run: DueRun) => {
    logger.debug({ kind, slot: run.slot.toISOString(), lateMs: run.lateMs }, 'run due');
    try {
      onDue(kind, run);
    } catch (error) {
      logger.error({ err: error, kind }, 'the scheduled run failed to start');
    }
  };

  return {
    start() {
      if (state !== 'new') return;
      state = 'started';
      lastLook = Date.now();
      arm();
    },
    stop() {
      clearTimeout(timer);
      state = 'stopped';
      slots.schedule.dispose();
      slots.deep.dispose();
    },
    nextRunAt(kind) {
      if (state !== 'started') return null;
      if (kind) return slots[kind].next();
      const [quick, deep] = [slots.schedule.next(), slots.deep.next()];
      return deep.getTime() <= quick.getTime() ? deep : quick;
    },
    intervalMs: (kind) => slots[kind].longestGapMs,
  };
}
