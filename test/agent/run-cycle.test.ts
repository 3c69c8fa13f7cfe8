// The agent's runs over the demo estate: a scheduled run reads every location; a watched change is
// read at its location alone, only the datasets that use it are judged again, and a report already
// made (perhaps still waiting in the outbox) is never changed by a later run.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import t, { type Test } from 'tap';
import { createLastResults } from '../../src/agent/last-results.js';
import { runCycle } from '../../src/agent/run-cycle.js';
import { loadConfig } from '../../src/config/load.js';
import { buildDemoEstate } from '../../src/demo/estate.js';
import { lockStateDir, type StateLock } from '../../src/state/state-lock.js';

const logger = pino({ level: 'silent' });

async function estate(t: Test) {
  const root = t.testdir();
  const { configFile } = buildDemoEstate(root, new Date());
  const config = await loadConfig(configFile);
  mkdirSync(config.agent.stateDir, { recursive: true });
  const attempt = await lockStateDir(config.agent.stateDir, { purpose: 'agent', waitMs: 0 });
  const stateLock = attempt.lock as StateLock;
  t.teardown(() => stateLock.release());
  return { root, config, stateLock, last: createLastResults() };
}

t.test('a scheduled run reads every location and judges every dataset', async (t) => {
  const { config, stateLock, last } = await estate(t);
  const run = await runCycle({ trigger: 'schedule' }, { config, logger, last, stateLock, now: () => new Date() });
  t.same(run.locationsRead, ['local', 'nas', 'vault']);
  t.same(run.datasetsJudged, ['erp-db', 'wiki', 'mail', 'files', 'crm']);
  t.same(
    run.report.datasets.map((d) => d.id),
    ['erp-db', 'wiki', 'mail', 'files', 'crm'],
  );
  t.same(
    run.report.sources.map((s) => s.id),
    ['local', 'nas', 'vault'],
  );
  t.equal(run.report.run.deep, false);
});

t.test('a watched change at one location reads it alone and judges only the datasets there', async (t) => {
  const { root, config, stateLock, last } = await estate(t);
  const ctx = { config, logger, last, stateLock, now: () => new Date() };
  const first = await runCycle({ trigger: 'schedule' }, ctx);
  const before = JSON.stringify(first.report);
  const mailBefore = first.report.datasets.find((d) => d.id === 'mail');
  // A new dump on the NAS: erp-db gains a copy there.
  appendFileSync(join(root, 'nas', 'erp', 'erp-new.dump'), 'new dump');
  const second = await runCycle({ trigger: 'watch', locations: ['nas'] }, ctx);
  t.same(second.locationsRead, ['nas']);
  t.same(second.datasetsJudged, ['erp-db', 'wiki', 'files', 'crm'], 'mail has no copy on the NAS');
  t.same(
    second.report.datasets.map((d) => d.id),
    ['erp-db', 'wiki', 'mail', 'files', 'crm'],
    'the report still covers every dataset',
  );
  const erp = (r: typeof first.report) => r.datasets.find((d) => d.id === 'erp-db')?.copies.length ?? 0;
  t.equal(erp(second.report), erp(first.report) + 1, 'the new dump is counted');
  t.same(
    second.report.datasets.find((d) => d.id === 'mail'),
    mailBefore,
    "mail keeps its last run's verdict",
  );
  t.equal(JSON.stringify(first.report), before, 'the first report is unchanged by the second run');
});

t.test('a change of the drill log judges every dataset again; no location is read', async (t) => {
  const { config, stateLock, last } = await estate(t);
  const ctx = { config, logger, last, stateLock, now: () => new Date() };
  await runCycle({ trigger: 'schedule' }, ctx);
  const run = await runCycle({ trigger: 'watch', locations: [], drillsChanged: true }, ctx);
  t.same(run.locationsRead, []);
  t.same(run.datasetsJudged, ['erp-db', 'wiki', 'mail', 'files', 'crm']);
});

t.test('a watched change before any full run reads everything', async (t) => {
  const { config, stateLock, last } = await estate(t);
  const run = await runCycle(
    { trigger: 'watch', locations: ['nas'] },
    { config, logger, last, stateLock, now: () => new Date() },
  );
  t.same(run.locationsRead, ['local', 'nas', 'vault'], 'no verdict to keep yet for the others');
});

t.test('a deep run says so and reads with the budget of the config', async (t) => {
  const { config, stateLock, last } = await estate(t);
  const run = await runCycle(
    { trigger: 'deep' },
    { config: { ...config, deep: { budgetBytes: 1024 } }, logger, last, stateLock, now: () => new Date() },
  );
  t.equal(run.report.run.deep, true);
  t.ok(run.report.run.scrub, 'the budget made a rolling scrub');
});
