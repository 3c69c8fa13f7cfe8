// The collector's store on SQLite: the shared suite on a real file, and what only a file has (its mode).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { openStore } from '../../src/collector/store/open.js';
import { silent, sqliteBackend } from './store-backends.js';
import { demoBase } from './store-fixture.js';
import { stateSuite, send } from './store-suite-state.js';
import { historySuite } from './store-suite-history.js';
import { pagingSuite } from './store-suite-paging.js';

const base = demoBase(t);
stateSuite(t, sqliteBackend, base);
historySuite(t, sqliteBackend, base);
pagingSuite(t, sqliteBackend, base);

t.test('sqlite: the file and its WAL are readable by their owner only, in WAL mode', async (t) => {
  const file = join(t.testdir(), 'private.db');
  const store = await openStore(file, { logger: silent });
  await send(store, base());
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    t.equal((statSync(path).mode & 0o777).toString(8), '600', path);
  }
  const reader = new Database(file, { readonly: true });
  t.equal(reader.pragma('journal_mode', { simple: true }), 'wal');
  reader.close();
  await store.close();
});

t.test('sqlite: :memory: works, for tests and trials', async (t) => {
  const store = await openStore(':memory:', { logger: silent });
  t.same(await send(store, base()), { outcome: 'stored' });
  t.equal((await store.agents({ now: new Date(), silentAfterMs: 1 })).length, 1);
  await store.close();
});
