// What every route is given: the store, the clock, the limits, the metrics; and the guard that
// checks a request's token and rate before anything else (before a body is read).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Access } from './api-routes.js';
import { type Authentication, type Identity, mayRead } from './auth.js';
import type { BodyLimits } from './body.js';
import type { CollectorMetrics } from './metrics.js';
import { apiProblem, retryAfterSeconds } from './problems.js';
import type { RateLimiter } from './rate-limit.js';
import type { CollectorStore, Liveness } from './store/types.js';
import type { ReportValidator } from './validate-report.js';

export interface ApiContext {
  store: CollectorStore;
  logger: Logger;
  now: () => number;
  silentAfterMs: number;
  limits: BodyLimits;
  metrics: CollectorMetrics;
  validate: ReportValidator;
  authenticate: (request: FastifyRequest) => Promise<Authentication>;
  rateLimiter: RateLimiter;
  /** Requests without a valid token, by client address (request.ip: the client's behind a trusted proxy). */
  authFailures: RateLimiter;
  /** The identity the guard found for a request. */
  identities: WeakMap<FastifyRequest, Identity>;
}

export const liveness = (context: ApiContext): Liveness => ({
  now: new Date(context.now()),
  silentAfterMs: context.silentAfterMs,
});

const UNAUTHORIZED = { 'www-authenticate': 'Bearer realm="backup321"' };

/** A 401, counted against the client's address; the failure that spends its last one is logged. */
function unauthorized(context: ApiContext, request: FastifyRequest, message: string) {
  context.authFailures.take(request.ip);
  if (context.authFailures.wait(request.ip) > 0) {
    context.logger.info({ ip: request.ip }, 'API requests without a valid token: this address now gets 429');
  }
  return apiProblem(401, { error: 'unauthorized', message }, UNAUTHORIZED);
}

/**
 * The route-level onRequest hook for an access rule: 429 for an address that sent too many requests
 * without a valid token, 401/403 by the token, 429 by its bucket.
 */
export function guard(context: ApiContext, access: Access) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    if (access === 'public') return;
    const blockedMs = context.authFailures.wait(request.ip);
    if (blockedMs > 0) {
      throw apiProblem(
        429,
        { error: 'rate-limited', message: 'too many requests without a valid token from this address' },
        { 'retry-after': retryAfterSeconds(blockedMs) },
      );
    }
    const found = await context.authenticate(request);
    if (found.outcome === 'missing') throw unauthorized(context, request, 'send Authorization: Bearer <token>');
    if (found.outcome === 'unknown') throw unauthorized(context, request, 'the token is not known here');
    if (found.outcome === 'revoked') {
      throw apiProblem(403, { error: 'forbidden', message: `token ${found.tokenId} is revoked` });
    }
    const { identity } = found;
    const agentId = (request.params as { id?: string } | undefined)?.id;
    const allowed =
      access === 'any-token' ||
      (access === 'reader' && identity.kind === 'reader') ||
      (access === 'reader-or-own-agent' && mayRead(identity, agentId)) ||
      (access === 'own-agent-post' && identity.kind === 'agent');
    if (!allowed) {
      throw apiProblem(403, {
        error: 'forbidden',
        message:
          access === 'own-agent-post'
            ? 'only an agent token may send reports'
            : `this ${identity.kind} token may not read this`,
      });
    }
    context.identities.set(request, identity);
    const waitMs = context.rateLimiter.take(identity.tokenId);
    if (waitMs > 0) {
      throw apiProblem(
        429,
        { error: 'rate-limited', message: `too many requests with token ${identity.tokenId}` },
        { 'retry-after': retryAfterSeconds(waitMs) },
      );
    }
  };
}
