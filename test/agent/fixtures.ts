// What the agent tests share: a logger whose lines can be read back, summary-like report bodies, and
// a sleep that records what it was asked to wait instead of waiting.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import type { Test } from 'tap';
import { type DropTally, type Outbox, openOutbox } from '../../src/agent/outbox.js';
import { REDACT_PATHS } from '../../src/logging.js';

export interface CapturedLog {
  logger: Logger;
  /** Every line logged so far, parsed. */
  lines(): Array<Record<string, unknown> & { level: number; msg: string }>;
  /** Everything logged, as written. */
  text(): string;
}

export function captureLogger(): CapturedLog {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written.push(String(chunk));
      done();
    },
  });
  // Synchronous enough: pino writes each line to the stream as it is logged.
  const logger = pino({ level: 'debug', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, stream);
  return {
    logger,
    lines: () =>
      written
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    text: () => written.join(''),
  };
}

export const WARN = 40;
export const ERROR = 50;

/** A summary-like body of about `size` bytes, carrying the drop tally as the agent's report would. */
export function reportBody(reportId: string, seq: number, drops: DropTally, size = 2000): string {
  const head = { kind: 'summary', reportId, seq, outbox: { dropped: drops } };
  const filler = 'x'.repeat(Math.max(0, size - JSON.stringify(head).length - 20));
  return JSON.stringify({ ...head, filler });
}

export const newReport = (seq: number, size?: number) => {
  const reportId = randomUUID();
  return { reportId, seq, build: (drops: DropTally) => reportBody(reportId, seq, drops, size) };
};

/** Records each wait and resolves at once (on the next turn, so a loop against a down collector still yields). */
export function recordingSleep(): { sleep: (ms: number, signal: AbortSignal) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms) => {
      waits.push(ms);
      return new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** Polls until `check` holds (no fixed sleep as synchronisation); fails after a generous time. */
export async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** An outbox in a fresh state dir of the test, with reports seq 1 … `reports` queued. */
export async function queuedOutbox(t: Test, reports: number, logger: Logger, maxReports = 1000): Promise<Outbox> {
  const outbox = await openOutbox({ dir: join(t.testdir({}), 'outbox'), maxReports, maxBytes: 2 ** 30, logger });
  for (let seq = 1; seq <= reports; seq++) await outbox.add(newReport(seq));
  return outbox;
}

/** Listens on 127.0.0.1 until the test ends; the URL to post to. */
export async function listenLocal(t: Test, server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}
