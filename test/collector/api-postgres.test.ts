// The collector's HTTP API over a real PostgreSQL (a schema per test): the same suites as on SQLite.
import t from 'tap';
import { ingestSuite } from './api-suite-ingest.js';
import { pagingSuite } from './api-suite-paging.js';
import { readSuite } from './api-suite-read.js';
import { postgresBackend, whenPostgres } from './store-backends.js';
import { demoBase } from './store-fixture.js';

await whenPostgres(t, 'the HTTP API on PostgreSQL', () => {
  const base = demoBase(t);
  ingestSuite(t, postgresBackend, base);
  readSuite(t, postgresBackend, base);
  pagingSuite(t, postgresBackend, base);
});
