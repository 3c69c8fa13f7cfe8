// PostgreSQL: a pg.Pool; int8 read as numbers (ids, seqs and counts stay far below 2^53); the schema
// is the connection's current one, or the one named (set as the pool's search_path).
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { StoreError } from './errors.js';
import type { Connected } from './open-sqlite.js';
import type { CollectorDatabase } from './tables.js';

const INT8 = 20;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function connectPostgres(
  url: string,
  options: { logger: Logger; schema: string | undefined; poolSize: number | undefined },
): Promise<Connected> {
  const { logger, schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StoreError('B321_STORE_SCHEMA', `${JSON.stringify(schema)} is not a schema name: a-z, 0-9 and _`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    application_name: 'backup321-collector',
    // A name checked above: not text from a request.
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8 ? Number : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client's error (a restarted server) is logged; the pool makes a new connection when asked.
  pool.on('error', (error) => logger.warn({ err: error }, 'a PostgreSQL connection of the pool failed'));
  const db = new Kysely<CollectorDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    const current = rows[0]?.schema ?? null;
    if (current === null) {
      throw new StoreError(
        'B321_STORE_SCHEMA',
        `no schema of the search_path exists${schema ? ` (${schema})` : ''}: create it first`,
      );
    }
    const target = new URL(url);
    logger.info(
      {
        backend: 'postgres',
        host: target.hostname,
        port: target.port || 5432,
        database: target.pathname.slice(1),
        schema: current,
      },
      'collector database opened',
    );
    return { db, backend: 'postgres', migrationSchema: current, query: (statement) => pool.query(statement) };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
