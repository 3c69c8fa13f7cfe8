// What the collector's answer means for the report sent: stored, refused for good, or try again.
import { retryAfterMs } from './backoff.js';
import type { CollectorAnswer } from './http-post.js';

/** Why a send failed: a small fixed set, as it becomes a metric's label. */
export const SEND_FAILURE_REASONS = [
  'network',
  'timeout',
  'tls',
  'http-429',
  'http-5xx',
  'http-other',
  'auth',
] as const;
export type SendFailureReason = (typeof SEND_FAILURE_REASONS)[number];

/** Answers that will not change by sending the same body again: the report goes to dead-letter/. */
export const DEAD_LETTER_STATUSES: readonly number[] = [400, 409, 413, 415];
export const AUTH_STATUSES: readonly number[] = [401, 403];

export type SendOutcome =
  | { kind: 'stored'; status: number }
  | { kind: 'refused'; status: number; body: string }
  | {
      kind: 'failed';
      reason: SendFailureReason;
      message: string;
      /** 401/403 (undefined with `auth`: no token to send). */
      status?: number;
      /** What Retry-After asked for. */
      waitMs?: number;
    };

export function outcomeOf(answer: CollectorAnswer, now: number): SendOutcome {
  const { status } = answer;
  if (status === 200 || status === 201) return { kind: 'stored', status };
  if (DEAD_LETTER_STATUSES.includes(status)) return { kind: 'refused', status, body: answer.body };
  const message = `the collector answered ${status}${answer.body ? `: ${answer.body.slice(0, 200)}` : ''}`;
  if (AUTH_STATUSES.includes(status)) return { kind: 'failed', reason: 'auth', status, message };
  const reason: SendFailureReason =
    status === 429 ? 'http-429' : status >= 500 && status <= 599 ? 'http-5xx' : 'http-other';
  const waitMs = retryAfterMs(answer.retryAfter, now);
  return waitMs === undefined ? { kind: 'failed', reason, message } : { kind: 'failed', reason, message, waitMs };
}
