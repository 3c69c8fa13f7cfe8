// Several processes opening one new SQLite file at once (collectors started together, or `collector
// token create` run twice): Kysely takes no lock across processes on SQLite, so they race to create
// the tables; each must still open the store, and the report they all ingest is stored once.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { openStore } from '../../src/collector/store/open.js';
import { silent } from './store-backends.js';
import { storeChild } from './store-child-process.js';
import { demoBase, vary } from './store-fixture.js';

const base = demoBase(t);

t.test('4 processes open (and migrate) a new SQLite file together: each opens it, one row stored', async (t) => {
  const dir = t.testdir();
  const db = join(dir, 'collector.sqlite');
  const reportFile = join(dir, 'report.json');
  writeFileSync(reportFile, JSON.stringify(vary(base(), { agentId: 'web-3', seq: 1 })));
  // Time enough for each child to load before the moment they all open the file.
  const startAt = Date.now() + 20_000;
  const results = await Promise.all(Array.from({ length: 4 }, () => storeChild(db, '', reportFile, 20, startAt)));
  const total = (o: string) => results.reduce((sum, r) => sum + (r[o] ?? 0), 0);
  t.equal(total('stored'), 1, JSON.stringify(results));
  t.equal(total('duplicate'), 79);
  const store = await openStore(db, { logger: silent });
  t.teardown(() => store.close());
  t.equal((await store.reports('web-3', { limit: 10 })).reports.length, 1);
});
