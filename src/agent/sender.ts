// Sends the outbox to the collector: oldest first, a few at a time at most, each report removed only
// once stored (201/200); retried with backoff forever, refused ones moved to dead-letter/, a refused
// token pausing everything without losing a report.
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { errnoCode, errorMessage } from '../errors.js';
import { PRODUCT_VERSION } from '../version.js';
import { backoffMs, DEFAULT_BACKOFF } from './backoff.js';
import { outcomeOf, type SendOutcome } from './collector-answer.js';
import { createPoster, type TransportError } from './http-post.js';
import type { OutboxEntry } from './outbox.js';
import type { DrainResult, Sender, SenderOptions, SenderStatus } from './sender-types.js';
import { authPauseWords, deadLetterWords, endpointForLog, failureWords } from './sender-words.js';

export { SEND_FAILURE_REASONS, type SendFailureReason } from './collector-answer.js';
export type { DrainResult, Sender, SenderEvents, SenderOptions, SenderStatus } from './sender-types.js';

const gzip = promisify(gzipCallback);

interface Hold {
  kind: 'backoff' | 'auth';
  until: number;
  cancel: AbortController;
  passed: Promise<void>;
}

type Failed = Extract<SendOutcome, { kind: 'failed' }>;

const defaultSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).catch(() => undefined);

export function createSender(options: SenderOptions): Sender {
  const { outbox, logger } = options;
  const endpoint = new URL(options.endpoint);
  const window = Math.max(1, Math.floor(options.window ?? 1));
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const events = options.events ?? {};
  const poster = createPoster({
    endpoint,
    tls: options.tls ?? {},
    timeoutMs: options.timeoutMs ?? 30_000,
    maxSockets: window,
  });
  const log = logger.child({ endpoint: endpointForLog(endpoint) });

  const stopping = new AbortController();
  const stopped = new Promise<void>((resolve) =>
    stopping.signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  let consecutiveFailures = 0;
  let lastError: string | undefined;
  let lastReason: string | undefined;
  let hold: Hold | undefined;
  /** Digest of the token a 401/403 refused: wake() ends the pause once the token file says something else. */
  let refusedToken: string | undefined;
  let woken = wakeSignal();
  let workers: Promise<void>[] | undefined;
  const inFlight = new Set<Promise<unknown>>();

  const holdOff = (kind: Hold['kind'], ms: number) => {
    const until = now() + ms;
    if (hold && !(kind === 'auth' && hold.kind === 'backoff') && hold.until >= until) return;
    hold?.cancel.abort();
    const cancel = new AbortController();
    const next: Hold = { kind, until, cancel, passed: Promise.resolve() };
    next.passed = sleep(ms, AbortSignal.any([stopping.signal, cancel.signal]))
      .catch(() => undefined)
      .then(() => {
        if (hold === next) hold = undefined;
      });
    hold = next;
  };

  const attempt = async (entry: OutboxEntry): Promise<SendOutcome | 'gone'> => {
    const token = options.token();
    if (!token) return { kind: 'failed', reason: 'auth', message: 'no agent token' };
    let body: Buffer;
    try {
      body = await outbox.read(entry);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return 'gone';
      throw error;
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'user-agent': `backup321/${PRODUCT_VERSION}`,
    };
    if (options.gzip) headers['content-encoding'] = 'gzip';
    try {
      const answer = await poster.post(options.gzip ? await gzip(body) : body, headers);
      // A proxy or collector that echoes the request would put the token in a log line or a dead letter.
      answer.body = answer.body.replaceAll(token, '[redacted]');
      const outcome = outcomeOf(answer, now());
      if (outcome.kind === 'failed' && outcome.reason === 'auth') refusedToken = digest(token);
      return outcome;
    } catch (error) {
      const failure = error as Partial<TransportError>;
      return { kind: 'failed', reason: failure.reason ?? 'network', message: errorMessage(error) };
    }
  };

  const failed = (entry: OutboxEntry, outcome: Failed, inLoop: boolean) => {
    outbox.release(entry);
    consecutiveFailures++;
    events.failed?.(outcome.reason);
    const waiting = outbox.depth().reports;
    if (outcome.reason === 'auth') {
      // One clear error per pause, however many sends in flight were refused with it.
      if (hold?.kind === 'auth') return;
      lastError = authPauseWords(outcome.status, backoff.authPauseMs, waiting);
      log.error({ status: outcome.status, pausedForMs: backoff.authPauseMs, waiting }, lastError);
      events.paused?.(outcome.status);
      if (inLoop) holdOff('auth', backoff.authPauseMs);
      return;
    }
    lastError = outcome.message;
    const retryInMs =
      outcome.waitMs !== undefined
        ? Math.min(outcome.waitMs, backoff.authPauseMs)
        : backoffMs(consecutiveFailures, backoff, random);
    // The first failure of a run of them (or a new kind) is a warning; the same again is detail.
    const level = consecutiveFailures === 1 || outcome.reason !== lastReason ? 'warn' : 'debug';
    lastReason = outcome.reason;
    log[level](
      { reason: outcome.reason, seq: entry.seq, retryInMs, consecutiveFailures, waiting },
      failureWords(outcome, retryInMs, waiting),
    );
    if (inLoop) holdOff('backoff', retryInMs);
  };

  const settle = async (entry: OutboxEntry, outcome: SendOutcome | 'gone', inLoop: boolean) => {
    if (outcome === 'gone') {
      log.warn(
        { seq: entry.seq, reportId: entry.reportId },
        'a queued report file vanished from the outbox before it was sent',
      );
      await outbox.remove(entry);
    } else if (outcome.kind === 'failed') {
      failed(entry, outcome, inLoop);
    } else {
      if (outcome.kind === 'stored') await outbox.remove(entry);
      else await outbox.deadLetter(entry, outcome);
      if (consecutiveFailures > 0) log.info({ afterFailures: consecutiveFailures }, 'the collector answers again');
      consecutiveFailures = 0;
      lastError = undefined;
      lastReason = undefined;
      if (outcome.kind === 'stored') events.sent?.(entry);
      else {
        log.error(
          { seq: entry.seq, reportId: entry.reportId, status: outcome.status, answer: outcome.body.slice(0, 500) },
          deadLetterWords(outcome.status, entry.seq, outbox.deadLetterDir),
        );
        events.deadLettered?.(entry, outcome.status);
      }
    }
  };

  /** One send, from claiming the oldest report to settling it; undefined when nothing is left to claim. */
  const sendOldest = async (inLoop: boolean): Promise<SendOutcome | 'gone' | 'outbox-failed' | undefined> => {
    const entry = outbox.claimOldest();
    if (!entry) return undefined;
    const work = (async () => {
      try {
        const outcome = await attempt(entry);
        await settle(entry, outcome, inLoop);
        return outcome;
      } catch (error) {
        // The outbox itself failed (a full or read-only disk): the report stays, and the loop waits.
        outbox.release(entry);
        lastError = `the outbox failed: ${errorMessage(error)}`;
        log.error({ err: error, seq: entry.seq }, lastError);
        consecutiveFailures++;
        if (inLoop) holdOff('backoff', backoffMs(consecutiveFailures, backoff, random));
        return 'outbox-failed' as const;
      }
    })();
    inFlight.add(work);
    work.finally(() => inFlight.delete(work));
    return work;
  };

  const worker = async () => {
    while (!stopping.signal.aborted) {
      while (hold && !stopping.signal.aborted) await hold.passed;
      if (stopping.signal.aborted) break;
      const wakeUp = woken.promise;
      if ((await sendOldest(true)) === undefined) await Promise.race([wakeUp, stopped]);
    }
  };

  return {
    wake() {
      if (stopping.signal.aborted) return;
      const token = options.token();
      if (hold?.kind === 'auth' && token && digest(token) !== refusedToken) hold.cancel.abort();
      woken.resolve();
      woken = wakeSignal();
      workers ??= Array.from({ length: window }, () => worker());
    },
    async drain(signal) {
      let sent = 0;
      let stoppedBy: DrainResult['stoppedBy'];
      const drainer = async () => {
        while (stoppedBy === undefined) {
          if (signal?.aborted) stoppedBy = 'aborted';
          else if (stopping.signal.aborted) stoppedBy = 'stopped';
          if (stoppedBy) return;
          const outcome = await sendOldest(false);
          if (outcome === undefined) return;
          if (outcome === 'outbox-failed') stoppedBy ??= 'outbox';
          else if (outcome !== 'gone' && outcome.kind === 'stored') sent++;
          else if (outcome !== 'gone' && outcome.kind === 'failed') stoppedBy ??= outcome.reason;
        }
      };
      await Promise.all(Array.from({ length: window }, drainer));
      const remaining = outbox.depth().reports;
      return stoppedBy === undefined ? { sent, remaining } : { sent, remaining, stoppedBy };
    },
    async stop() {
      stopping.abort();
      await Promise.allSettled([...(workers ?? []), ...inFlight]);
      poster.close();
    },
    status() {
      const state: SenderStatus = { consecutiveFailures };
      if (hold?.kind === 'auth') state.pausedUntil = hold.until;
      if (hold?.kind === 'backoff') state.retryAt = hold.until;
      if (lastError !== undefined) state.lastError = lastError;
      return state;
    },
  };
}

/** A promise wake() resolves, made anew after each wake (Promise.withResolvers is Node 22). */
function wakeSignal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');
