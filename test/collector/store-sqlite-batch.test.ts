// SQLite's group commit (src/collector/store/ingest-batch.ts): reports that arrive together share one
// transaction, yet each is answered on its own (one that fails is rolled back alone), and an answered
// report is in the file even when the process is killed -9 right after.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { openStore } from '../../src/collector/store/open.js';
import type { SummaryReport } from '../../src/report-schema/types.js';
import { silent } from './store-backends.js';
import { demoBase, T0 } from './store-fixture.js';
import { send } from './store-suite-state.js';

const base = demoBase(t);
const CHILD = fileURLToPath(new URL('./store-ingest-child.ts', import.meta.url));
const TS_LOADER = new URL('../../node_modules/@tapjs/typescript/dist/esm/import.mjs', import.meta.url).href;
const LIVENESS = { now: T0, silentAfterMs: 1e12 };

t.test('sqlite: reports sent together are stored together; the one that breaks a constraint fails alone', async (t) => {
  const store = await openStore(join(t.testdir(), 'batch.db'), { logger: silent });
  t.teardown(() => store.close());
  const good = Array.from({ length: 20 }, (_, i) => ({
    ...base(),
    reportId: `good-${i}`,
    agent: { ...base().agent, id: `agent-${i}` },
  }));
  // Past the schema's validation (the route's), straight to the store: rto_ms is NOT NULL in the datasets
  // table, so this report fails after its report, agent and instance rows were written.
  const broken = {
    ...base(),
    reportId: 'broken',
    agent: { ...base().agent, id: 'agent-broken' },
    datasets: base().datasets.map((d) => ({ ...d, rtoMs: null })),
  };
  // Started in one turn of the event loop: they are committed as one batch.
  const outcomes = await Promise.allSettled([
    ...good.slice(0, 10).map((report) => send(store, report)),
    send(store, broken as unknown as SummaryReport),
    ...good.slice(10).map((report) => send(store, report)),
  ]);
  t.equal(outcomes[10]?.status, 'rejected', 'the broken report is refused');
  const others = outcomes.filter((_, i) => i !== 10);
  t.same(
    others.map((o) => (o.status === 'fulfilled' ? o.value.outcome : 'rejected')),
    good.map(() => 'stored'),
    'every other report of the batch is stored',
  );
  for (const report of good) t.ok(await store.report(report.reportId), `${report.reportId} is there`);
  t.equal(await store.report('broken'), null, 'nothing of the broken report');
  const agents = (await store.agents(LIVENESS)).map((a) => a.id);
  t.equal(agents.length, 20);
  t.notOk(agents.includes('agent-broken'), 'its agent row was rolled back with it');
});

t.test('sqlite: every report answered before a kill -9 is in the file after it', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'killed.db');
  const reportFile = join(dir, 'report.json');
  writeFileSync(reportFile, JSON.stringify(base()));
  const child = spawn(process.execPath, ['--import', TS_LOADER, CHILD, file, reportFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const acknowledged: string[] = [];
  let pending = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      acknowledged.push(...lines);
      // Killed while ingests are in flight: a batch may be half written, none of it answered.
      if (acknowledged.length >= 300 && child.exitCode === null) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the child exited (${code}) before it was killed: ${stderr}`));
    });
  });
  await new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve),
  );
  const store = await openStore(file, { logger: silent });
  t.teardown(() => store.close());
  const missing: string[] = [];
  for (const reportId of acknowledged) if (!(await store.report(reportId))) missing.push(reportId);
  t.same(missing, [], `all ${acknowledged.length} acknowledged reports are stored`);
});
