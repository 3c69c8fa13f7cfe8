// The collector's bearer tokens: 32 random bytes, base64url, after a prefix that says what they are
// (b321a_ an agent's, b321r_ a reader's) so a leaked one is recognised by secret scanners and people.
// Only the sha256 of the whole token is stored; the id is short, random and public (for lists and revoking).
import { createHash, randomBytes } from 'node:crypto';
import type { TokenKind } from './store/types.js';

export const TOKEN_PREFIXES: Record<TokenKind, string> = { agent: 'b321a_', reader: 'b321r_' };
const TOKEN_SHAPE = /^b321[ar]_[A-Za-z0-9_-]{43}$/;

export interface NewToken {
  id: string;
  token: string;
  hash: string;
}

export function newToken(kind: TokenKind): NewToken {
  const token = `${TOKEN_PREFIXES[kind]}${randomBytes(32).toString('base64url')}`;
  return { id: `tok_${randomBytes(6).toString('hex')}`, token, hash: tokenHash(token) };
}

/**
 * The lookup key of a token. A token is found by an index on its hash, so no comparison of secrets
 * happens in our code: a timing difference could only tell a guesser about a sha256 prefix, not the token.
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether the text looks like one of our tokens (the rest is answered by the database). */
export function isTokenShaped(text: string): boolean {
  return TOKEN_SHAPE.test(text);
}
