// The collector's store on a real PostgreSQL: the shared suite, each store in a schema of its own.
import t from 'tap';
import { postgresBackend, whenPostgres } from './store-backends.js';
import { demoBase } from './store-fixture.js';
import { historySuite } from './store-suite-history.js';
import { pagingSuite } from './store-suite-paging.js';
import { stateSuite } from './store-suite-state.js';

await whenPostgres(t, 'the PostgreSQL back end', () => {
  const base = demoBase(t);
  stateSuite(t, postgresBackend, base);
  historySuite(t, postgresBackend, base);
  pagingSuite(t, postgresBackend, base);
});
