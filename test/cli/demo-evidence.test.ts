// `backup321 demo`: its estate shows a copy confirmed by each evidence kind, the "store" one in a bucket
// of the demo's own S3 endpoint, whose dummy keys reach no file and no log line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { DEMO_S3_KEYS } from '../../src/demo/object-store.js';
import type { Copy, Report } from '../../src/model.js';
import { confirmationOf } from '../../src/policy/confirmation.js';
import { runCli } from '../helpers/cli.js';

t.test('a copy read, one checked by its store, one only declared (and one with nothing)', async (t) => {
  const dir = t.testdir();
  const run = await runCli(['demo', '--format', 'json', '--log-level', 'debug', '--dir', dir]);
  t.equal(run.code, 0, 'the demo ran');
  const report = JSON.parse(run.stdout) as Report;
  t.match(report.summary, { datasets: 5, copies: 16, compliant: 1, atRisk: 1, nonCompliant: 3, exitCode: 2 });
  const copies: Copy[] = report.datasets.flatMap((dataset) => dataset.copies);
  const kinds = new Set(copies.map((copy) => confirmationOf(copy).kind));
  t.same([...kinds].sort(), ['declared', 'none', 'read', 'store']);

  const erp = report.datasets.find((dataset) => dataset.id === 'erp-db');
  t.equal(erp?.verdict, 'compliant', 'the offsite copy keeps the compliant dataset compliant');
  const offsite = erp?.copies.find((copy) => copy.location === 'cloud');
  t.ok(offsite, 'the ERP dump in the demo bucket');
  if (!offsite) return;
  t.same(confirmationOf(offsite), { kind: 'store', by: 's3-checksum' });
  t.match(offsite, { path: 's3://demo-01-offsite/erp/erp-db-latest.dump', medium: 'object-storage' });
  const local = erp?.copies.find((copy) => copy.location === 'local' && copy.name === 'erp-db-latest.dump');
  t.equal(offsite.recorded?.value, local?.sha256, "the store's SHA-256 is that of the bytes the agent read locally");
  t.match(
    report.sources.find((source) => source.id === 'cloud'),
    { type: 's3', status: 'ok', copies: 1 },
  );

  const config = readFileSync(join(dir, 'agent.config.json'), 'utf8');
  for (const key of Object.values(DEMO_S3_KEYS)) {
    t.notOk(config.includes(key), 'no key in the config file');
    t.notOk(run.stderr.includes(key), 'no key in the debug log');
  }
  t.notMatch(config, /aws_access_key_id|secretAccessKey|credentials/i);
});
