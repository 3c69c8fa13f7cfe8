// The collector's schema versions, in code (no files read at run time, so a bundled or installed
// collector migrates the same way). Names sort in the order they run; a released one never changes.
import type { Migration, MigrationProvider } from 'kysely';
import { initialSchema } from './0001-initial.js';
import { fleetPaging } from './0002-fleet-paging.js';
import { postgresIngestFunction } from './0003-postgres-ingest.js';
import { type Backend, columnTypes } from './column-types.js';

export type { Backend } from './column-types.js';

export function migrationsFor(backend: Backend): MigrationProvider {
  const types = columnTypes(backend);
  const migrations: Record<string, Migration> = {
    '0001-initial': initialSchema(types),
    '0002-fleet-paging': fleetPaging(),
    '0003-postgres-ingest': postgresIngestFunction(backend),
  };
  return { getMigrations: async () => migrations };
}
