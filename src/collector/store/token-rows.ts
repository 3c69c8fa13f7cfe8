// Tokens in the database: the hash and a public id, never the token (it is printed once, when made).
import type { Kysely } from 'kysely';
import { newToken, tokenHash } from '../tokens.js';
import type { Run } from './ingest-sql.js';
import { iso, isoOrNull } from './rows.js';
import type { CollectorDatabase } from './tables.js';
import type { FoundToken, TokenInfo, TokenKind } from './types.js';

type Db = Kysely<CollectorDatabase>;

export async function createToken(
  db: Db,
  now: () => number,
  request: { kind: TokenKind; subject: string },
): Promise<{ id: string; token: string }> {
  const made = newToken(request.kind);
  await db
    .insertInto('tokens')
    .values({
      id: made.id,
      kind: request.kind,
      subject: request.subject,
      hash: made.hash,
      created_at: new Date(now()).toISOString(),
      revoked_at: null,
    })
    .execute();
  return { id: made.id, token: made.token };
}

export async function listTokens(db: Db): Promise<TokenInfo[]> {
  const rows = await db
    .selectFrom('tokens')
    .select(['id', 'kind', 'subject', 'created_at', 'revoked_at'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind as TokenKind,
    subject: row.subject,
    createdAt: iso(row.created_at),
    revokedAt: isoOrNull(row.revoked_at),
  }));
}

/** Revokes one token by its id, or every token of an agent; a token already revoked keeps its time. */
export async function revokeToken(
  db: Db,
  now: () => number,
  which: { id: string } | { agent: string },
): Promise<{ revoked: number }> {
  let query = db
    .updateTable('tokens')
    .set({ revoked_at: new Date(now()).toISOString() })
    .where('revoked_at', 'is', null);
  query =
    'id' in which
      ? query.where('id', '=', which.id)
      : query.where('kind', '=', 'agent').where('subject', '=', which.agent);
  const rows = await query.returning('id').execute();
  return { revoked: rows.length };
}

const FIND_TOKEN = 'select "id", "kind", "subject", "revoked_at" from "tokens" where "hash" = ?';

/**
 * By the hash's index: the token is never compared in our code, so there is no timing to measure.
 * Every request asks it: SQL written once, run without Kysely (half the CPU of a built query).
 */
export async function findToken(run: Run, token: string): Promise<FoundToken | null> {
  const [row] = await run(FIND_TOKEN, [tokenHash(token)]);
  return row
    ? {
        id: String(row.id),
        kind: row.kind as TokenKind,
        subject: String(row.subject),
        revoked: row.revoked_at !== null,
      }
    : null;
}
