// The sender against a real collector on 127.0.0.1: order, token, what each answer does to the
// outbox, backoff and Retry-After (the waits recorded, never waited), a collector down for a while.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import t, { type Test } from 'tap';
import type { Outbox } from '../../src/agent/outbox.js';
import { createSender, type SenderOptions } from '../../src/agent/sender.js';
import { type Collector, startCollector } from './collector.js';
import { captureLogger, ERROR, listenLocal, newReport, queuedOutbox, recordingSleep, until, WARN } from './fixtures.js';

const TOKEN = 'agent-token-0123456789abcdef';

async function setUp(t: Test, reports: number, sender: Partial<SenderOptions> = {}) {
  const log = captureLogger();
  const collector = await startCollector({ token: TOKEN });
  t.teardown(() => collector.close());
  const outbox = await queuedOutbox(t, reports, log.logger);
  const stateDir = dirname(outbox.dir);
  const { sleep, waits } = recordingSleep();
  const events = {
    sent: [] as number[],
    failed: [] as string[],
    dead: [] as Array<[number, number]>,
    paused: [] as unknown[],
  };
  const made = createSender({
    outbox,
    endpoint: collector.url,
    token: () => TOKEN,
    logger: log.logger,
    backoff: { initialMs: 1000, maxMs: 60_000, authPauseMs: 3_600_000 },
    random: () => 0.5,
    sleep,
    events: {
      sent: (entry) => events.sent.push(entry.seq),
      failed: (reason) => events.failed.push(reason),
      deadLettered: (entry, status) => events.dead.push([entry.seq, status]),
      paused: (status) => events.paused.push(status),
    },
    ...sender,
  });
  t.teardown(() => made.stop());
  return { stateDir, log, collector, outbox, sender: made, waits, events };
}

const storedSeqs = (collector: Collector) => collector.deliveries.filter((d) => d.status === 201).map((d) => d.seq);
const empty = (outbox: Outbox) => () => outbox.depth().reports === 0;

t.test('reports arrive oldest first, with the token and JSON, each removed once stored', async (t) => {
  const { collector, outbox, sender, events, stateDir } = await setUp(t, 5);
  sender.wake();
  await until(() => events.sent.length === 5, 'five sent');
  t.same(storedSeqs(collector), [1, 2, 3, 4, 5]);
  t.ok(
    collector.deliveries.every((d) => d.authorization === `Bearer ${TOKEN}` && d.contentType === 'application/json'),
  );
  t.same(events.sent, [1, 2, 3, 4, 5]);
  t.same(readdirSync(join(stateDir, 'outbox')), []);
  // One added later goes at once after wake().
  await outbox.add(newReport(6));
  sender.wake();
  await until(() => events.sent.length === 6, 'the sixth is sent');
  t.same(storedSeqs(collector), [1, 2, 3, 4, 5, 6]);
  t.same(sender.status(), { consecutiveFailures: 0 });
});

t.test('200 (already stored) removes the report as 201 does', async (t) => {
  const { collector, sender } = await setUp(t, 2);
  collector.override = () => ({ status: 200 });
  t.same(await sender.drain(), { sent: 2, remaining: 0 });
  t.equal(collector.deliveries.length, 2);
});

t.test('400, 409, 413 and 415 move the report to dead-letter/, once each, never sent again', async (t) => {
  const { collector, outbox, sender, events, log, stateDir } = await setUp(t, 6);
  const refusal: Record<number, number> = { 2: 400, 3: 409, 4: 413, 5: 415 };
  collector.override = (d) =>
    refusal[d.seq] ? { status: refusal[d.seq] as number, body: `{"error":"seq ${d.seq}"}` } : undefined;
  sender.wake();
  await until(() => events.sent.length + events.dead.length === 6, 'each stored or refused');
  t.same(storedSeqs(collector), [1, 6]);
  t.same(
    collector.deliveries.map((d) => d.seq),
    [1, 2, 3, 4, 5, 6],
    'each refused report was sent once',
  );
  t.same(events.dead, [
    [2, 400],
    [3, 409],
    [4, 413],
    [5, 415],
  ]);
  t.equal(outbox.deadLetters(), 4);
  t.equal(readdirSync(join(stateDir, 'dead-letter')).length, 8, 'four reports and their reasons');
  const errors = log.lines().filter((line) => line.level === ERROR);
  t.same(
    errors.map((e) => [e.seq, e.status]),
    [
      [2, 400],
      [3, 409],
      [4, 413],
      [5, 415],
    ],
    'one error line each',
  );
  t.match(errors[0]?.answer, /seq 2/);
  t.same(events.failed, [], 'a refusal is no transport failure');
});

t.test('an answer that echoes the token puts it in no log line and no dead letter', async (t) => {
  const { collector, sender, log, stateDir } = await setUp(t, 2);
  collector.override = (d) => ({ status: d.seq === 1 ? 400 : 500, body: `{"echo":"${d.authorization}"}` });
  t.same(await sender.drain(), { sent: 0, remaining: 1, stoppedBy: 'http-5xx' });
  const deadDir = join(stateDir, 'dead-letter');
  const reason = readdirSync(deadDir).find((name) => name.endsWith('.reason.json')) as string;
  const stored = readFileSync(join(deadDir, reason), 'utf8');
  t.match(stored, 'Bearer [redacted]');
  t.notMatch(stored, TOKEN);
  t.match(log.text(), 'Bearer [redacted]');
  t.notMatch(log.text(), TOKEN);
  t.notMatch(sender.status().lastError, TOKEN);
});

t.test('401 and 403 pause sending with one clear error, keep every report, and never log the token', async (t) => {
  for (const status of [401, 403]) {
    const { collector, outbox, sender, events, log, waits } = await setUp(t, 3, { window: 3 });
    collector.override = () => ({ status });
    sender.wake();
    await until(() => events.paused.length > 0 && collector.deliveries.length >= 1, 'paused');
    await until(() => sender.status().pausedUntil !== undefined || waits.length > 0, 'the pause is waited');
    t.equal(outbox.depth().reports, 3, `${status}: every report kept`);
    t.same(events.paused.slice(0, 1), [status]);
    const errors = log.lines().filter((line) => line.level === ERROR);
    t.ok(errors.length >= 1 && errors.length === events.paused.length, 'one error per pause');
    t.match(
      errors[0]?.msg,
      status === 401 ? /did not accept the agent token/ : /token belongs to another agent id or was revoked/,
    );
    t.match(errors[0]?.msg, /3 report\(s\) waiting stay in the outbox/);
    t.ok(waits.includes(3_600_000), 'the long pause');
    t.notMatch(log.text(), TOKEN);
    t.match(sender.status().lastError, /paused/);
    t.ok(events.failed.every((reason) => reason === 'auth'));
    // The collector accepts again: all arrive.
    collector.override = undefined;
    await until(() => events.sent.length === 3, 'sent after the pause');
    t.same([...new Set(storedSeqs(collector))].sort(), [1, 2, 3]);
  }
});

t.test('a new token ends the pause at once (wake after SIGHUP)', async (t) => {
  let token = 'old-token';
  const log = captureLogger();
  const collector = await startCollector({ token: TOKEN });
  t.teardown(() => collector.close());
  const outbox = await queuedOutbox(t, 1, log.logger, 10);
  // A real sleep of an hour: only the new token can end it.
  const sender = createSender({
    outbox,
    endpoint: collector.url,
    token: () => token,
    logger: log.logger,
    backoff: { authPauseMs: 3_600_000 },
  });
  t.teardown(() => sender.stop());
  sender.wake();
  await until(() => sender.status().pausedUntil !== undefined, 'paused for the old token');
  sender.wake();
  t.ok(sender.status().pausedUntil, 'the same token: still paused');
  token = TOKEN;
  sender.wake();
  await until(() => collector.stored.size === 1 && empty(outbox)(), 'sent with the new token');
  t.same(storedSeqs(collector), [1]);
  t.notMatch(log.text(), 'old-token');
});

t.test('no token: paused like a refused one, nothing sent', async (t) => {
  const { collector, outbox, sender, events, log } = await setUp(t, 1, { token: () => undefined });
  t.same(await sender.drain(), { sent: 0, remaining: 1, stoppedBy: 'auth' });
  t.equal(collector.deliveries.length, 0);
  t.same(events.paused, [undefined]);
  t.match(log.lines().find((line) => line.level === ERROR)?.msg, /no agent token/);
  t.equal(outbox.depth().reports, 1);
});

t.test('429 with Retry-After (seconds, then an HTTP date) is waited as asked, then sent', async (t) => {
  const now = Date.parse('2026-03-01T10:00:00Z');
  const { collector, outbox, sender, waits, events } = await setUp(t, 2, { now: () => now });
  const answers = [
    { status: 429, headers: { 'retry-after': '7' } },
    { status: 503, headers: { 'retry-after': new Date(now + 42_000).toUTCString() } },
  ];
  collector.override = () => answers.shift();
  sender.wake();
  await until(() => events.sent.length === 2, 'both sent');
  t.same(waits, [7000, 42_000]);
  t.equal(outbox.depth().reports, 0);
  t.same(events.failed, ['http-429', 'http-5xx']);
  t.same(storedSeqs(collector), [1, 2]);
});

t.test('5xx and network failures back off exponentially with jitter, capped', async (t) => {
  const { collector, outbox, sender, waits, events, log } = await setUp(t, 1, {
    backoff: { initialMs: 1000, maxMs: 5000, authPauseMs: 3_600_000 },
    random: () => 0.5,
  });
  let failures = 5;
  collector.override = () => (failures-- > 0 ? { status: 500 } : undefined);
  sender.wake();
  await until(() => events.sent.length === 1, 'sent after five failures');
  t.same(waits, [500, 1000, 2000, 2500, 2500]);
  t.equal(outbox.depth().reports, 0);
  t.same(events.failed, ['http-5xx', 'http-5xx', 'http-5xx', 'http-5xx', 'http-5xx']);
  t.equal(log.lines().filter((line) => line.level === WARN).length, 1, 'one warning for a run of the same failure');
  t.match(log.lines().at(-1)?.msg, /answers again/);
});

t.test('the collector down for a while: reports wait on disk, then all arrive, each stored once', async (t) => {
  const { collector, outbox, sender, events, stateDir } = await setUp(t, 3, { window: 2 });
  await collector.down();
  sender.wake();
  await until(() => events.failed.length >= 3, 'failing while down');
  for (let seq = 4; seq <= 10; seq++) {
    await outbox.add(newReport(seq));
    sender.wake();
  }
  t.equal(readdirSync(join(stateDir, 'outbox')).length, 10, 'all ten on disk');
  t.ok(events.failed.every((reason) => reason === 'network'));
  t.ok(sender.status().consecutiveFailures >= 3);
  await collector.up();
  await until(() => events.sent.length === 10, 'all sent once the collector is back');
  t.same(
    [...storedSeqs(collector)].sort((a, b) => a - b),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  t.equal(collector.deliveries.filter((d) => d.status !== 201).length, 0, 'none sent again after it was stored');
  t.same(collector.concurrentSameReport, [], 'never two sends of one report at once');
  t.equal(sender.status().consecutiveFailures, 0);
});

t.test('gzip: the collector gunzips the very body that is on disk', async (t) => {
  const { collector, outbox, sender } = await setUp(t, 3, { gzip: true });
  const bodies = await Promise.all(outbox.entries().map(async (e) => (await outbox.read(e)).toString()));
  t.same(await sender.drain(), { sent: 3, remaining: 0 });
  t.ok(collector.deliveries.every((d) => d.encoding === 'gzip'));
  t.same([...collector.stored.values()], bodies);
});

t.test('drain stops at the first failure and says why', async (t) => {
  const { collector, outbox, sender } = await setUp(t, 3);
  collector.override = (d) => (d.seq === 2 ? { status: 502 } : undefined);
  t.same(await sender.drain(), { sent: 1, remaining: 2, stoppedBy: 'http-5xx' });
  t.equal(outbox.oldest()?.seq, 2);
  collector.override = undefined;
  const controller = new AbortController();
  controller.abort();
  t.same(await sender.drain(controller.signal), { sent: 0, remaining: 2, stoppedBy: 'aborted' });
  t.same(await sender.drain(), { sent: 2, remaining: 0 });
});

t.test('no answer within the deadline is a timeout, and the report stays', async (t) => {
  const endpoint = await listenLocal(
    t,
    createServer(() => undefined),
  );
  const sender = createSender({
    outbox: await queuedOutbox(t, 1, captureLogger().logger),
    endpoint,
    token: () => TOKEN,
    logger: captureLogger().logger,
    timeoutMs: 200,
  });
  t.teardown(() => sender.stop());
  t.same(await sender.drain(), { sent: 0, remaining: 1, stoppedBy: 'timeout' });
});

t.test('stop() waits for the send in flight, then sends no more', async (t) => {
  const requests: Array<() => void> = [];
  // Holds each answer until the test lets it go.
  const endpoint = await listenLocal(
    t,
    createServer((req, res) => {
      req.resume();
      req.on('end', () => requests.push(() => res.writeHead(201).end('{}')));
    }),
  );
  const outbox = await queuedOutbox(t, 3, captureLogger().logger);
  const sender = createSender({ outbox, endpoint, token: () => TOKEN, logger: captureLogger().logger });
  sender.wake();
  await until(() => requests.length === 1, 'the first send is in flight');
  let stopped = false;
  const stopping = sender.stop().then(() => {
    stopped = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  t.notOk(stopped, 'stop() waits while a send is in flight');
  requests[0]?.();
  await stopping;
  t.same(
    outbox.entries().map((e) => e.seq),
    [2, 3],
    'the one in flight was stored and removed',
  );
  sender.wake();
  t.equal(requests.length, 1, 'nothing sent after stop');
});
