// Opening the collector's database from its --db value: a file path (or :memory:) is SQLite,
// postgres:// or postgresql:// a PostgreSQL pool. Either is brought to the latest schema before use.
import { type Kysely, Migrator } from 'kysely';
import type { Logger } from 'pino';
import { StoreError } from './errors.js';
import { migrationsFor } from './migrations/index.js';
import { connectPostgres } from './open-postgres.js';
import { connectSqlite } from './open-sqlite.js';
import { storeOver } from './store.js';
import type { CollectorDatabase } from './tables.js';
import type { CollectorStore } from './types.js';

export interface OpenOptions {
  logger: Logger;
  /** For the tokens' times; Date.now by default. */
  now?: () => number;
  /** PostgreSQL: the schema to use (its search_path); the connection's current schema by default. */
  schema?: string;
  /** PostgreSQL: connections in the pool (10 by default). */
  poolSize?: number;
}

/** Tries of a SQLite migration that lost a race to another process (each waits a little longer). */
const SQLITE_MIGRATION_ATTEMPTS = 5;

export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

export async function openStore(db: string, options: OpenOptions): Promise<CollectorStore> {
  if (db.trim() === '') throw new StoreError('B321_STORE_DB', 'no database given: a file path or a postgres:// URL');
  const { logger } = options;
  const connected = isPostgresUrl(db)
    ? await connectPostgres(db, { logger, schema: options.schema, poolSize: options.poolSize })
    : connectSqlite(db, logger);
  try {
    await migrate(connected.db, connected.backend, connected.migrationSchema, logger);
  } catch (error) {
    await connected.db.destroy();
    throw error;
  }
  return storeOver({ ...connected, logger, now: options.now ?? Date.now });
}

async function migrate(
  db: Kysely<CollectorDatabase>,
  backend: CollectorStore['backend'],
  migrationSchema: string | undefined,
  logger: Logger,
): Promise<void> {
  // PostgreSQL: Kysely's migrator holds an advisory lock while it migrates, so collectors started
  // together migrate one after the other; the others find nothing left to do.
  const migrator = new Migrator({
    db,
    provider: migrationsFor(backend),
    ...(migrationSchema === undefined ? {} : { migrationTableSchema: migrationSchema }),
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    for (const result of results ?? []) {
      if (result.status === 'Success') logger.info({ migration: result.migrationName }, 'collector database migrated');
    }
    if (!error) return;
    // SQLite: Kysely takes no lock across processes there, so two processes opening a new file at once
    // (collectors, `collector token create`) race to create the tables. The loser's transaction is
    // rolled back; tried again, it finds the work done.
    if (backend === 'sqlite' && attempt < SQLITE_MIGRATION_ATTEMPTS) {
      logger.debug({ attempt, err: String(error) }, 'the database was being migrated by another process; trying again');
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 50));
      continue;
    }
    throw new StoreError(
      'B321_STORE_MIGRATION',
      `the collector's database could not be brought to this version's schema: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
