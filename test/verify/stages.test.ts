// The stages of a run, one by one, as the agent calls them: a change to one location re-reads that
// location only, and evaluating datasets leaves the results it was given as they were.
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { configFromDocument } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import type { SourceResult } from '../../src/model.js';
import { evaluateDatasets } from '../../src/verify/evaluate.js';
import { inventoryLocations } from '../../src/verify/inventory.js';
import { credentialsFileText } from '../helpers/s3-context.js';
import {
  type CountingProxy,
  createBucketWith,
  type RunningS3rver,
  startCountingProxy,
  startS3rver,
  testClient,
} from '../helpers/s3rver.js';

const logger = pino({ level: 'silent' });
const dump = 'erp dump of the fifth of December\n';
const sha256 = createHash('sha256').update(dump).digest('hex');
const NOW = new Date();

let server: RunningS3rver;
let proxy: CountingProxy;
let root: string;
let config: Config;
let mediaLog: string;

const requests = () => [...proxy.methods.values()].reduce((a, b) => a + b, 0);

t.before(async () => {
  root = t.testdir({ s3: {}, state: {} });
  const local = join(root, 'local', 'erp');
  mkdirSync(local, { recursive: true });
  writeFileSync(join(local, 'erp.dump'), dump);
  writeFileSync(join(local, 'erp.dump.sha256'), `${sha256}  erp.dump\n`);
  const hourAgo = new Date(NOW.getTime() - 3_600_000);
  utimesSync(join(local, 'erp.dump'), hourAgo, hourAgo);
  server = await startS3rver(join(root, 's3'));
  const client = testClient(server.endpoint);
  await createBucketWith(client, 'backups', [
    { key: 'erp/erp.dump', body: dump },
    { key: 'erp/erp.dump.sha256', body: `${sha256}  erp.dump\n` },
  ]);
  client.destroy();
  proxy = await startCountingProxy(server.port);
  const credentialsFile = join(root, 'credentials');
  writeFileSync(credentialsFile, credentialsFileText('S3RVER', 'S3RVER'));
  mediaLog = join(root, 'offline-media.jsonl');
  writeFileSync(mediaLog, '');
  const loaded = configFromDocument(
    {
      agent: { id: 'stages', stateDir: join(root, 'state') },
      policy: { minCopies: 3, minMedia: 2, minOffline: 1, drillMaxAge: '0', rpo: '1d' },
      locations: [
        { id: 'local', type: 'disk', path: join(root, 'local'), throughput: '100MB/s' },
        { id: 'cloud', type: 's3', bucket: 'backups', endpoint: proxy.endpoint, credentialsFile, throughput: '10MB/s' },
        { id: 'vault', type: 'offline-log', path: mediaLog, throughput: '100MB/s' },
      ],
      datasets: [{ id: 'erp', copies: { local: 'erp/*.dump', cloud: 'erp/', vault: 'erp' } }],
    },
    join(root, 'agent.json'),
    {},
  );
  if (!loaded.config) throw new Error(JSON.stringify(loaded.problems));
  config = loaded.config;
});
t.teardown(async () => {
  await proxy.close();
  await server.stop();
});

t.test(
  'a change to the media log re-reads the log alone and re-evaluates from the other locations’ results',
  async (t) => {
    const all = await inventoryLocations({ config, logger, datasets: config.datasets, startedAt: NOW });
    t.same(
      all.results.map((r) => r.status.id),
      ['local', 'cloud', 'vault'],
    );
    const listed = requests();
    t.ok(listed > 0, `the bucket was read (${listed} requests)`);
    const before = evaluateDatasets({
      config,
      datasets: config.datasets,
      results: all.results,
      drills: all.drills,
      now: NOW,
    });
    t.match(
      before.datasets[0]?.evaluation.outcomes.find((o) => o.check === 'offline'),
      { status: 'fail' },
    );

    appendFileSync(
      mediaLog,
      `${JSON.stringify({ ts: new Date(NOW.getTime() - 60_000).toISOString(), event: 'written', media: 'USB-7', mediumType: 'removable-disk', dataset: 'erp', file: 'erp.dump', sha256, bytes: dump.length })}\n${JSON.stringify({ ts: new Date(NOW.getTime() - 30_000).toISOString(), event: 'offline', media: 'USB-7' })}\n`,
    );
    const vault = await inventoryLocations({
      config,
      logger,
      datasets: config.datasets,
      locations: ['vault'],
      startedAt: NOW,
    });
    t.same(
      vault.results.map((r) => r.status.id),
      ['vault'],
      'only the log was read',
    );
    t.equal(requests(), listed, 'no request reached the bucket');
    const latest = new Map<string, SourceResult>(all.results.map((r) => [r.status.id, r]));
    for (const result of vault.results) latest.set(result.status.id, result);
    const after = evaluateDatasets({
      config,
      datasets: config.datasets,
      results: [...latest.values()],
      drills: all.drills,
      now: NOW,
    });
    t.match(
      after.datasets[0]?.evaluation.outcomes.find((o) => o.check === 'offline'),
      { status: 'pass' },
    );
    t.equal(
      after.datasets[0]?.evaluation.copies.length,
      3,
      'the disk and bucket copies came from their earlier results',
    );
  },
);

t.test(
  'evaluating leaves the results as they were, so they can be evaluated again (and referenced by a queued report)',
  async (t) => {
    const { results, drills } = await inventoryLocations({ config, logger, datasets: config.datasets, startedAt: NOW });
    const snapshot = JSON.stringify(results);
    const first = evaluateDatasets({ config, datasets: config.datasets, results, drills, now: NOW });
    t.equal(JSON.stringify(results), snapshot, 'no copy was assessed in place, no list emptied');
    const second = evaluateDatasets({ config, datasets: config.datasets, results, drills, now: NOW });
    t.same(second.datasets[0]?.evaluation, first.datasets[0]?.evaluation, 'the same evaluation again');
    t.ok(
      results.every((r) => r.copies.every((c) => !('assessment' in c))),
      'the results hold plain copies',
    );
  },
);

t.test('a one-off run hands its results over: they are consumed, not copied', async (t) => {
  const { results, drills } = await inventoryLocations({ config, logger, datasets: config.datasets, startedAt: NOW });
  const evaluation = evaluateDatasets({ config, datasets: config.datasets, results, drills, now: NOW, consume: true });
  t.equal(evaluation.datasets[0]?.evaluation.copies.length, 3);
  t.ok(
    results.every((r) => r.copies.length === 0),
    'the lists were let go',
  );
});
