// SQLite: one file, WAL, made readable by its owner only. synchronous=FULL: an acknowledged report is
// on disk before the agent is told so, even through a power cut (NORMAL would survive a kill -9 of the
// collector, only not the machine stopping; the agent deletes what we acknowledged, so FULL).
import { chmodSync, closeSync, openSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { Logger } from 'pino';
import { errnoCode } from '../../errors.js';
import type { PoolQuery } from './ingest-sql.js';
import type { CollectorDatabase } from './tables.js';

export interface Connected {
  db: Kysely<CollectorDatabase>;
  backend: 'sqlite' | 'postgres';
  /** Where Kysely keeps its migration tables (PostgreSQL's schema in use). */
  migrationSchema: string | undefined;
  /** PostgreSQL: the pool's own query, for ingest's call and the token lookup. */
  query?: PoolQuery;
}

/** How long a write waits for another process's (a `token create` beside a running collector). */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

export function connectSqlite(path: string, logger: Logger): Connected {
  if (path !== ':memory:') createPrivate(path, logger);
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  database.pragma('foreign_keys = ON');
  logger.info({ backend: 'sqlite', file: path }, 'collector database opened');
  return {
    db: new Kysely<CollectorDatabase>({ dialect: new SqliteDialect({ database: reusingStatements(database) }) }),
    backend: 'sqlite',
    migrationSchema: undefined,
  };
}

/** Statements kept for reuse: the store's queries are a few dozen texts; multi-row inserts vary by row count. */
const STATEMENTS_KEPT = 256;

/**
 * The database as Kysely sees it, with each SQL text prepared once: Kysely prepares every query it
 * runs, and preparing cost more than running (≈ 10 % of an ingest's CPU). Reuse is safe because
 * the dialect runs one statement at a time on its one connection and never streams here.
 */
function reusingStatements(database: Database.Database): SqliteDatabase {
  const kept = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      let statement = kept.get(sql);
      if (statement) {
        // Most recently used last: the first key is the one to drop when full.
        kept.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (kept.size >= STATEMENTS_KEPT) kept.delete(kept.keys().next().value as string);
      }
      kept.set(sql, statement);
      return statement;
    },
  };
}

/** The file is made 0600 before SQLite opens it (its -wal and -shm files take the same mode). */
function createPrivate(path: string, logger: Logger): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
    return;
  } catch (error) {
    if (errnoCode(error) !== 'EEXIST') throw error;
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    chmodSync(path, mode & 0o700);
    logger.warn({ file: path, mode: mode.toString(8) }, 'the collector database was readable by others: made 0600');
  }
}
