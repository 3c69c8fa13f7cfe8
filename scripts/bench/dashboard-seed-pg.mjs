// The dashboard case's fleet in PostgreSQL: a schema of its own, seeded through the store as the
// SQLite file is (dashboard-seed.mjs), kept for the bench to measure and dropped by whoever made it.
import { load } from './cases/collector-ingest-load.mjs';
import { seedWithReader, silentLogger } from './dashboard-seed.mjs';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** `url` with its sessions' search_path set to `schema` (and any more `-c` settings). */
export function inSchema(url, schema, settings = '') {
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}${settings}`)}`;
}

async function admin(url, statement) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export const dropSchema = (url, schema) => admin(url, `drop schema if exists ${schema} cascade`);

/**
 * A new schema `schema` in the database at `url`, seeded; returns its meta and `db`, the URL the
 * collector takes. The seed's own sessions do not wait for each commit to reach the disk
 * (synchronous_commit off): durability is not what it measures, and an interrupted seed is dropped.
 */
export async function seededPostgres(template, sizes, url, schema, log) {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`${schema}: not a schema name (a-z, 0-9, _)`);
  await admin(url, `create schema ${schema}`);
  try {
    const { openStore } = await load('collector/store/open.js');
    const store = await openStore(inSchema(url, schema, ' -c synchronous_commit=off'), {
      logger: await silentLogger(),
    });
    try {
      return { db: inSchema(url, schema), ...(await seedWithReader(store, template, sizes, log)) };
    } finally {
      await store.close();
    }
  } catch (error) {
    await dropSchema(url, schema).catch(() => undefined);
    throw error;
  }
}
