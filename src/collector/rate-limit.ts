// A token bucket per API token, in this process's memory: with several collectors behind a load
// balancer each keeps its own buckets, so a token's real limit is the limit times the collectors.
// Buckets idle long enough to be full again are forgotten, so memory follows the active tokens.

export interface RateLimit {
  /** Requests a token may make at once after a quiet time. */
  burst: number;
  /** Requests a second a token earns back. */
  perSecond: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { burst: 120, perSecond: 20 };

/**
 * Requests without a valid token (401) a client address may make: 20 at once, then one a second.
 * Beyond that the address gets 429 before its token is looked up, so a flood costs no database
 * round trip; an address that stops failing has its 20 back after 20 s.
 */
export const DEFAULT_AUTH_FAILURE_LIMIT: RateLimit = { burst: 20, perSecond: 1 };

export interface RateLimiter {
  /** Takes one request from the key's bucket: 0 when allowed, else the ms until one is there. */
  take(key: string): number;
  /** The ms until the key's bucket has a request again (0: it has one now), without taking it. */
  wait(key: string): number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function rateLimiter(limit: RateLimit, now: () => number): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const refill = (bucket: Bucket, at: number) => {
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((at - bucket.at) / 1000) * limit.perSecond);
    bucket.at = at;
  };
  const forgetFull = (at: number) => {
    for (const [key, bucket] of buckets) {
      refill(bucket, at);
      if (bucket.tokens >= limit.burst) buckets.delete(key);
    }
  };
  const waitFor = (bucket: Bucket) =>
    limit.perSecond > 0 ? Math.ceil(((1 - bucket.tokens) / limit.perSecond) * 1000) : 3_600_000;
  return {
    wait(key) {
      const bucket = buckets.get(key);
      if (!bucket) return 0;
      refill(bucket, now());
      return bucket.tokens >= 1 ? 0 : waitFor(bucket);
    },
    take(key) {
      const at = now();
      if (buckets.size > 10_000) forgetFull(at);
      const bucket = buckets.get(key) ?? { tokens: limit.burst, at };
      buckets.set(key, bucket);
      refill(bucket, at);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return waitFor(bucket);
    },
  };
}
