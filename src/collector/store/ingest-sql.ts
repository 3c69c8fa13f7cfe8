// How ingest (and the token lookup of every request) talks to the database: SQL written once (both
// back ends speak the same upsert dialect), run without Kysely building and compiling each statement
// again (that was ≈ a third of an ingest's CPU). Placeholders are written `?` and become $1… for
// PostgreSQL.
import { CompiledQuery, type Kysely } from 'kysely';
import type { CollectorDatabase } from './tables.js';

export type Row = Record<string, unknown>;
/** Runs one statement on the ingest's connection: its rows (those RETURNING gives, or a SELECT's). */
export type Run = (sql: string, parameters: readonly unknown[]) => Promise<Row[]>;
export type Backend = 'sqlite' | 'postgres';

const numbered = new Map<string, string>();

/** `?` → `$1`, `$2`… (the ingest's SQL has no `?` inside a literal). Texts are few: kept once each. */
function postgresText(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    if (numbered.size < 1024) numbered.set(sql, text);
  }
  return text;
}

/** Statements on `db` (a transaction or a held connection), in the back end's placeholder style. */
export function runOn(db: Kysely<CollectorDatabase>, backend: Backend): Run {
  return async (sql, parameters) => {
    const text = backend === 'postgres' ? postgresText(sql) : sql;
    const result = await db.executeQuery<Row>(CompiledQuery.raw(text, parameters as unknown[]));
    return result.rows as Row[];
  };
}

/** A pg.Pool's own query: one statement, its values bound. */
export type PoolQuery = (statement: { text: string; values: unknown[] }) => Promise<{ rows: Row[] }>;

/**
 * Runs one statement on its own (autocommit). On PostgreSQL through the pool's query, without Kysely,
 * and unnamed: a named (prepared) statement would spare ≈ 35 µs of the server's CPU per token lookup
 * and nothing measurable on ingest's call, but would need a pooler that keeps prepared statements
 * (PgBouncer in transaction mode before 1.21 does not).
 */
export function autocommitOn(db: Kysely<CollectorDatabase>, backend: Backend, query?: PoolQuery): Run {
  if (backend === 'postgres' && query !== undefined) {
    return async (sql, parameters) => (await query({ text: postgresText(sql), values: parameters as unknown[] })).rows;
  }
  return runOn(db, backend);
}

/** "a","b","c" */
export const columns = (names: readonly string[]): string => names.map((name) => `"${name}"`).join(', ');

/** (?, ?, ?), (?, ?, ?) for `rows` rows of `width` values. */
export function valueRows(rows: number, width: number): string {
  const one = `(${new Array(width).fill('?').join(', ')})`;
  return new Array(rows).fill(one).join(', ');
}

/** ?, ?, ? */
export const placeholders = (n: number): string => new Array(n).fill('?').join(', ');
