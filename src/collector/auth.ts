// Who a request is: its bearer token (the Authorization header) or, for reading, the dashboard's
// session cookie, whose value is the reader token itself. Only the hash is looked up; the token is
// never logged, kept, or put in an answer.
import type { FastifyRequest } from 'fastify';
import type { CollectorStore, TokenKind } from './store/types.js';
import { isTokenShaped } from './tokens.js';

export const SESSION_COOKIE = 'b321_session';

export interface Identity {
  /** The token's public id (tok_…), safe to log. */
  tokenId: string;
  kind: TokenKind;
  /** The agent id (agent tokens) or the reader's name. */
  subject: string;
}

/**
 * What the dashboard is given as `auth`: identify(request) is the request's identity, or null when
 * it has no valid token (none, unknown or revoked).
 */
export interface Identify {
  identify(request: FastifyRequest): Promise<Identity | null>;
}

/** Why a request has no identity: no token (401), one we do not know (401), one revoked (403). */
export type Authentication =
  | { outcome: 'identified'; identity: Identity }
  | { outcome: 'missing' }
  | { outcome: 'unknown' }
  | { outcome: 'revoked'; tokenId: string };

const BEARER = /^Bearer[ \t]+([^ \t]+)[ \t]*$/i;

/**
 * The token a request carries. The cookie counts only for GET and HEAD: a browser sends it with
 * any request to us, so it must never authorise a change (no cross-site request can post a report).
 */
export function requestToken(request: Pick<FastifyRequest, 'headers' | 'method'>): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) return BEARER.exec(header)?.[1] ?? '';
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  return cookieValue(request.headers.cookie, SESSION_COOKIE);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at === -1 || part.slice(0, at).trim() !== name) continue;
    const value = part.slice(at + 1).trim();
    return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value;
  }
  return undefined;
}

export function authenticator(store: Pick<CollectorStore, 'findToken'>) {
  const authenticate = async (request: Pick<FastifyRequest, 'headers' | 'method'>): Promise<Authentication> => {
    const token = requestToken(request);
    if (token === undefined) return { outcome: 'missing' };
    // Not our shape: no database round trip for a guess.
    if (!isTokenShaped(token)) return { outcome: 'unknown' };
    const found = await store.findToken(token);
    if (!found) return { outcome: 'unknown' };
    if (found.revoked) return { outcome: 'revoked', tokenId: found.id };
    return { outcome: 'identified', identity: { tokenId: found.id, kind: found.kind, subject: found.subject } };
  };
  const identify: Identify['identify'] = async (request) => {
    const known = await authenticate(request);
    return known.outcome === 'identified' ? known.identity : null;
  };
  return { authenticate, identify };
}

/** May this identity read the agent's data: a reader, or the agent's own token. */
export function mayRead(identity: Identity, agentId?: string): boolean {
  return identity.kind === 'reader' || (agentId !== undefined && identity.subject === agentId);
}
