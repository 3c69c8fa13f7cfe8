// The CSV export streamed a chunk of agents at a time (issue 29): across chunk boundaries it is the
// same file, byte for byte, as the whole fleet written at once, on a real SQLite store.
import t from 'tap';
import { fleetCsv, fleetCsvChunks } from '../../src/collector/export-csv.js';
import { sqliteBackend } from './store-backends.js';
import { demoBase, HOUR, T0, vary } from './store-fixture.js';
import { send } from './store-suite-state.js';

const base = demoBase(t);
const LIVENESS = { now: new Date(T0.getTime() + HOUR), silentAfterMs: 2 * HOUR };

t.test('chunks of 2 agents give the whole file', async (t) => {
  const { store } = await sqliteBackend.fresh(t);
  for (const agentId of ['e', 'a', 'c', 'b', 'd']) await send(store, vary(base(), { agentId }));
  await send(store, vary(base(), { agentId: 'f-none', datasets: [] }));
  const whole = fleetCsv(await store.agents(LIVENESS), await store.datasets({}));
  let streamed = '';
  let chunks = 0;
  for await (const chunk of fleetCsvChunks(store, LIVENESS, 2)) {
    streamed += chunk;
    chunks++;
  }
  t.equal(streamed, whole);
  t.equal(chunks, 1 + 3, 'the header, then 3 chunks of agents (then an empty read ends it)');
  t.match(streamed, /\r\nf-none,,,,,,,,,[^,]+,unknown\r\n$/, 'an agent without datasets still gets its row');
});
