// How long to wait before the next attempt: exponential with full jitter (a fleet that lost its
// collector at once does not come back at once), or what the collector asked for in Retry-After.

export interface BackoffOptions {
  /** The first delay's ceiling. */
  initialMs: number;
  /** No delay's ceiling goes above this. */
  maxMs: number;
  /** The pause after the collector refused the token (401/403); also the longest Retry-After honoured. */
  authPauseMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 5 * 60_000, authPauseMs: 60 * 60_000 };

/** Full jitter: uniform in [0, min(maxMs, initialMs · 2^(failures−1))]. */
export function backoffMs(failures: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(Math.max(failures - 1, 0), 40));
  return Math.floor(random() * ceiling);
}

/**
 * Retry-After in milliseconds from now: delay-seconds or an HTTP date; undefined when absent or
 * unreadable (the backoff applies then).
 */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
