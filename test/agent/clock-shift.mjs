// Preloaded (--import) into a child whose wall clock a test moves: `Date.now()` and `new Date()` read the
// real time plus an offset that an IPC message { shiftMs } changes, as an NTP step or `date -s` would.
// The monotonic clock (timers, performance.now) is left alone, as a real step leaves it.
// `date -s` itself works here (root with CAP_SYS_TIME) but would move the clock of the whole machine,
// under every other test running beside this one.
const RealDate = Date;
let offsetMs = 0;
class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + offsetMs);
    else super(...args);
  }
  static now() {
    return RealDate.now() + offsetMs;
  }
}
globalThis.Date = ShiftedDate;
process.on('message', (message) => {
  if (typeof message?.shiftMs !== 'number') return;
  offsetMs += message.shiftMs;
  process.send?.({ shifted: offsetMs });
});
