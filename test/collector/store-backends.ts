// The two back ends the store's tests run against: a real SQLite file in the test's directory, and
// a real PostgreSQL (a fresh schema per store, dropped at teardown, so test files run side by side).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { Test } from 'tap';
import { openStore } from '../../src/collector/store/open.js';
import type { CollectorStore } from '../../src/collector/store/types.js';

export const PG_URL = process.env.BACKUP321_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
export const silent = pino({ level: 'silent' });

export interface Opened {
  store: CollectorStore;
  /** Another store on the same database (closed at teardown). */
  reopen(): Promise<CollectorStore>;
  /** Whether the text is anywhere in what the database keeps (SQLite: the file's and its WAL's bytes). */
  rawContains(text: string): Promise<boolean>;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  fresh(t: Test): Promise<Opened>;
}

function closing(t: Test, open: () => Promise<CollectorStore>): () => Promise<CollectorStore> {
  return async () => {
    const store = await open();
    t.teardown(() => store.close());
    return store;
  };
}

export const sqliteBackend: Backend = {
  name: 'sqlite',
  async fresh(t) {
    const file = join(t.testdir(), 'collector.db');
    const reopen = closing(t, () => openStore(file, { logger: silent }));
    return {
      store: await reopen(),
      reopen,
      async rawContains(text) {
        const needle = Buffer.from(text);
        return [file, `${file}-wal`].some((path) => existsSync(path) && readFileSync(path).includes(needle));
      },
    };
  },
};

/** A new schema in the test database, dropped (with everything in it) at teardown. */
export async function freshSchema(t: Test): Promise<string> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  t.teardown(async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
  });
  return schema;
}

const TABLES = ['reports', 'agents', 'agent_instances', 'datasets', 'dataset_checks', 'tokens'];

export const postgresBackend: Backend = {
  name: 'postgres',
  async fresh(t) {
    const schema = await freshSchema(t);
    const reopen = closing(t, () => openStore(PG_URL, { logger: silent, schema, poolSize: 4 }));
    return {
      store: await reopen(),
      reopen,
      async rawContains(text) {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        try {
          for (const table of TABLES) {
            const { rows } = await client.query(
              `SELECT count(*)::int AS n FROM ${schema}.${table} AS t WHERE t::text LIKE '%' || $1 || '%'`,
              [text],
            );
            if (rows[0].n > 0) return true;
          }
          return false;
        } finally {
          await client.end();
        }
      },
    };
  },
};

/** Why PostgreSQL cannot be used here, or null when it can. */
export async function postgresProblem(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The skip of a test that needs PostgreSQL, with its reason, or false to run it. In CI (CI set) an
 * absent PostgreSQL is a failure, not a skip.
 */
export async function postgresSkip(t: Test): Promise<string | false> {
  const problem = await postgresProblem();
  if (problem === null) return false;
  const why = `needs a real PostgreSQL at ${PG_URL} (127.0.0.1:5432, database test, user postgres, trust auth; BACKUP321_TEST_PG overrides): ${problem}`;
  if (process.env.CI) {
    t.fail(`CI runs every PostgreSQL test: ${why}`);
  }
  return why;
}

/** Declares the tests `declare` makes when PostgreSQL is there; else one skipped test saying why (a failure in CI). */
export async function whenPostgres(t: Test, what: string, declare: () => void): Promise<void> {
  const skip = await postgresSkip(t);
  if (skip) t.test(what, { skip }, async () => {});
  else declare();
}
