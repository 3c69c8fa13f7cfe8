// What the sender is given and what it answers: the interface the agent wires.
import type { Logger } from 'pino';
import type { BackoffOptions } from './backoff.js';
import type { SendFailureReason } from './collector-answer.js';
import type { TlsMaterial } from './http-post.js';
import type { Outbox, OutboxEntry } from './outbox.js';

export interface SenderEvents {
  sent(entry: OutboxEntry): void;
  failed(reason: SendFailureReason): void;
  deadLettered(entry: OutboxEntry, status: number): void;
  /** Sending paused after a 401/403 (undefined: there was no token to send). */
  paused(status: number | undefined): void;
}

export interface SenderOptions {
  outbox: Outbox;
  endpoint: string | URL;
  /** The agent token as of now (the caller re-reads the token file on SIGHUP); never logged. */
  token: () => string | undefined;
  tls?: TlsMaterial;
  logger: Logger;
  backoff?: Partial<BackoffOptions>;
  random?: () => number;
  /** Send bodies gzipped (Content-Encoding: gzip); the outbox keeps them as plain JSON. */
  gzip?: boolean;
  /** Reports in flight at once (default 1: strictly one after the other). */
  window?: number;
  /** Deadline of one send (default 30 s). */
  timeoutMs?: number;
  events?: Partial<SenderEvents>;
  now?: () => number;
  /** Waits ms or until the signal aborts (then resolves): injected so tests never wait. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface SenderStatus {
  /** Until when sending is paused after a refused token. */
  pausedUntil?: number;
  /** When the next attempt after a failure is due. */
  retryAt?: number;
  lastError?: string;
  consecutiveFailures: number;
}

export interface DrainResult {
  sent: number;
  remaining: number;
  /** The failure that ended the drain ('outbox': reading or moving a report failed; 'aborted': the signal; 'stopped': stop() was called). */
  stoppedBy?: SendFailureReason | 'outbox' | 'aborted' | 'stopped';
}

export interface Sender {
  /** A report was added (or the token file re-read): starts the background loop on first call. */
  wake(): void;
  /** Sends until the outbox is empty or the first failure, without waiting: for `agent --once`. */
  drain(signal?: AbortSignal): Promise<DrainResult>;
  /** Waits for the sends in flight, then sends no more. */
  stop(): Promise<void>;
  status(): SenderStatus;
}
