// Child process of outbox-crash.test.ts: an agent's report path in a loop (take a seq, add the
// report to the outbox, wake the sender) until it is killed. It prints each step once it is done
// ("taken N", "stored N reportId"): stdout to a pipe is synchronous on Linux, so a line printed is a fact.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import { openOutbox } from '../../src/agent/outbox.js';
import { createSender } from '../../src/agent/sender.js';
import { openSequence } from '../../src/state/sequence.js';
import { reportBody } from './fixtures.js';

const [stateDir, endpoint] = process.argv.slice(2) as [string, string];
const logger = pino({ level: 'silent' });
const outbox = await openOutbox({ dir: join(stateDir, 'outbox'), maxReports: 100_000, maxBytes: 2 ** 40, logger });
const sequence = await openSequence(stateDir, { atLeast: outbox.highestSeq() });
const sender = createSender({
  outbox,
  endpoint,
  token: () => process.env.CRASH_TOKEN,
  logger,
  window: 2,
  backoff: { initialMs: 1, maxMs: 5, authPauseMs: 5 },
});
sender.wake();
process.stdout.write('ready\n');
for (;;) {
  const seq = await sequence.next();
  process.stdout.write(`taken ${seq}\n`);
  const reportId = randomUUID();
  // From 10 KB to 1 MB: the bigger ones take long enough to write that a kill often lands inside.
  const size = Math.floor(10_000 * 100 ** Math.random());
  await outbox.add({ reportId, seq, build: (drops) => reportBody(reportId, seq, drops, size) });
  process.stdout.write(`stored ${seq} ${reportId}\n`);
  sender.wake();
}
