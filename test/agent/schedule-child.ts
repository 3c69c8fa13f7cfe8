// A schedule in a child process whose clock the test moves or stops (clock-shift.mjs, SIGSTOP): each run
// due is sent to the parent; the log goes to stderr.
import pino from 'pino';
import { createSchedule } from '../../src/agent/schedule.js';

const [verify = '', deepVerify = '', tickMs = '60000'] = process.argv.slice(2);
const logger = pino({ level: 'info' }, pino.destination({ fd: 2, sync: true }));
const schedule = createSchedule({
  verify,
  deepVerify,
  timezone: 'UTC',
  tickMs: Number(tickMs),
  logger,
  onDue: (kind, run) => process.send?.({ kind, slot: run.slot.getTime(), lateMs: run.lateMs, at: Date.now() }),
});
schedule.start();
process.send?.({ started: Date.now() });
process.on('message', (message: { stop?: boolean }) => {
  if (!message?.stop) return;
  schedule.stop();
  process.disconnect?.();
});
