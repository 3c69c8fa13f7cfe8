// The collector's store on a real PostgreSQL: the shared suite, each store in a schema of its own.
import t from 'tap';
import type { SummaryReport } from '../../src/report-schema/types.js';
import { postgresBackend, postgresSkip } from './store-backends.js';
import { demoSummary } from './store-fixture.js';
import { historySuite } from './store-suite-history.js';
import { stateSuite } from './store-suite-state.js';

const skip = await postgresSkip(t);
if (skip) {
  t.test('the PostgreSQL back end', { skip }, async () => {});
} else {
  let base: SummaryReport;
  t.before(async () => {
    base = await demoSummary(t.testdir());
  });
  stateSuite(t, postgresBackend, () => base);
  historySuite(t, postgresBackend, () => base);
}
