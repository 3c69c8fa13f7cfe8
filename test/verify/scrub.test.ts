// verify --deep --budget over real trees and a real bucket: a quick listing, then the copies read
// longest ago (never read first) read again up to the budget, across disk and S3 alike; run after run
// the whole estate is read in turn, and nothing under a location changes.
import { createHash } from 'node:crypto';
import { mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import pino from 'pino';
import t, { type Test } from 'tap';
import { configFromDocument } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { createChecksumService } from '../../src/integrity/service.js';
import type { Copy } from '../../src/model.js';
import { inventoryLocations } from '../../src/verify/inventory.js';
import { snapshotTree } from '../helpers/cli.js';
import { credentialsFileText } from '../helpers/s3-context.js';
import { createBucketWith, startCountingProxy, startS3rver, testClient } from '../helpers/s3rver.js';

const DAY = 86_400_000;
const logger = pino({ level: 'silent' });
const sha = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** Distinct bytes per name, so a copy's hash says which file it is. */
const content = (name: string, size: number): Buffer => Buffer.alloc(size, name);

/** A tree of `erp/<name>` files of the given sizes, written long before any read of them. */
function estate(t: Test, files: Record<string, number>): { root: string; stateDir: string } {
  const root = t.testdir({ state: {} });
  mkdirSync(join(root, 'local', 'erp'), { recursive: true });
  const written = new Date(Date.now() - 100 * DAY);
  for (const [name, size] of Object.entries(files)) {
    const path = join(root, 'local', 'erp', name);
    writeFileSync(path, content(name, size));
    utimesSync(path, written, written);
  }
  return { root, stateDir: join(root, 'state') };
}

/**
 * Hashes these files into the state dir's checksum cache as runs that many days ago would have: the
 * checksum service with its clock set back, as the cache keeps when each file was read.
 */
async function readEarlier(stateDir: string, daysAgo: Record<string, number>): Promise<void> {
  let clock = Date.now();
  const checksums = await createChecksumService({ stateDir, workers: 1, logger, now: () => clock });
  try {
    for (const [path, days] of Object.entries(daysAgo)) {
      clock = Date.now() - days * DAY;
      const { dev, ino, size, mtimeMs, ctimeMs } = statSync(path);
      const outcome = await checksums.hashFile({ path, dev, ino, size, mtimeMs, ctimeMs });
      if (!outcome.ok) throw new Error(`${path}: ${outcome.message}`);
    }
  } finally {
    await checksums.close();
  }
}

function configOf(document: Record<string, unknown>, root: string): Config {
  const loaded = configFromDocument(
    {
      agent: { id: 'scrub', stateDir: join(root, 'state'), hashWorkers: 1 },
      policy: { minCopies: 1, minMedia: 1, minOffline: 0, drillMaxAge: '0', rpo: '365d' },
      ...document,
    },
    join(root, 'agent.json'),
    {},
  );
  if (!loaded.config) throw new Error(JSON.stringify(loaded.problems));
  return loaded.config;
}

function diskConfig(root: string, datasets?: unknown[]): Config {
  return configOf(
    {
      locations: [{ id: 'local', type: 'disk', path: join(root, 'local'), throughput: '100MB/s' }],
      datasets: datasets ?? [{ id: 'erp', copies: { local: 'erp/*.dump' } }],
    },
    root,
  );
}

/** One run with a budget (undefined: --deep without one); which copies it read, by name. */
async function deepRun(config: Config, budgetBytes: number | undefined) {
  const startedAt = new Date();
  const inventory = await inventoryLocations({
    config,
    logger,
    datasets: config.datasets,
    deep: true,
    budgetBytes,
    startedAt,
  });
  const copies = inventory.results.flatMap((result) => result.copies);
  const readNow = (copy: Copy) => copy.hashedAt !== undefined && Date.parse(copy.hashedAt) >= startedAt.getTime();
  const read = [...new Set(copies.filter(readNow).map((copy) => copy.name))].sort();
  return { ...inventory, copies, read };
}

/** The files of `estate`, by name, with how many days ago each was read. */
const ages = (root: string, days: Record<string, number>) =>
  Object.fromEntries(Object.entries(days).map(([name, age]) => [join(root, 'local', 'erp', name), age]));

t.test('a budget smaller than the estate reads the copies read longest ago, and no more bytes', async (t) => {
  const sizes = { 'a.dump': 1000, 'b.dump': 1000, 'c.dump': 1000, 'd.dump': 1000, 'e.dump': 1000 };
  const { root, stateDir } = estate(t, { ...sizes, 'f.dump': 1000, 'g.dump': 200 });
  const days = { c: 60, a: 50, e: 45, b: 40, g: 30, f: 20, d: 10 };
  await readEarlier(stateDir, ages(root, Object.fromEntries(Object.entries(days).map(([n, d]) => [`${n}.dump`, d]))));
  const config = diskConfig(root);
  const before = snapshotTree(join(root, 'local'));

  const run = await deepRun(config, 2500);
  t.same(run.read, ['a.dump', 'c.dump', 'g.dump'], 'c and a (oldest); e and b do not fit the 500 left, g does');
  t.same(run.scrub, {
    budgetBytes: 2500,
    readBytes: 2200,
    copiesRead: 3,
    totalBytes: 6200,
    copiesTotal: 7,
    // e (45 days) and b (40 days) are still older than verifyMaxAge (35 days).
    copiesNotReadRecently: 2,
  });
  t.equal(run.checksumStats.bytesHashed, 2200, 'the bytes read are the bytes hashed: nothing else was read');
  t.equal(run.checksumStats.filesHashed, 3);
  for (const copy of run.copies) t.equal(copy.sha256, sha(content(copy.name, copy.bytes)), `${copy.name} hash`);
  const notChosen = run.copies.find((copy) => copy.name === 'e.dump');
  t.ok(
    notChosen?.hashedAt && Date.now() - Date.parse(notChosen.hashedAt) > 44 * DAY,
    'a copy not chosen keeps the age of its earlier read',
  );
  t.equal(run.results[0]?.status.status, 'ok');
  t.same(snapshotTree(join(root, 'local')), before, 'contents and mtimes unchanged');
});

t.test('runs with the same budget read the whole estate in ceil(total / budget) runs', async (t) => {
  const names = ['a.dump', 'b.dump', 'c.dump', 'd.dump', 'e.dump', 'f.dump'];
  const { root, stateDir } = estate(t, Object.fromEntries(names.map((name) => [name, 1000])));
  await readEarlier(stateDir, ages(root, Object.fromEntries(names.map((name, i) => [name, 60 - i]))));
  const config = diskConfig(root);
  const cycle: string[][] = [];
  for (let run = 0; run < 3; run++) cycle.push((await deepRun(config, 2000)).read);
  t.same(cycle, [
    ['a.dump', 'b.dump'],
    ['c.dump', 'd.dump'],
    ['e.dump', 'f.dump'],
  ]);
  const fourth = await deepRun(config, 2000);
  t.same(fourth.read, cycle[0], 'the next cycle starts again with the first run’s copies: each read once a cycle');
  t.equal(fourth.scrub?.copiesNotReadRecently, 0, 'every copy now read within verifyMaxAge');
});

t.test('a directory copy is read again whole; a file two datasets match is read once for both', async (t) => {
  const { root, stateDir } = estate(t, { 'a.dump': 1000 });
  const site = join(root, 'local', 'site', 'v1');
  mkdirSync(site, { recursive: true });
  const written = new Date(Date.now() - 100 * DAY);
  for (const [name, size] of [
    ['index.html', 300],
    ['data.bin', 500],
  ] as const) {
    writeFileSync(join(site, name), content(name, size));
    utimesSync(join(site, name), written, written);
  }
  utimesSync(site, written, written);
  await readEarlier(stateDir, {
    ...ages(root, { 'a.dump': 50 }),
    [join(site, 'index.html')]: 50,
    [join(site, 'data.bin')]: 50,
  });
  const config = diskConfig(root, [
    { id: 'erp', copies: { local: 'erp/*.dump' } },
    { id: 'erp-mirror', copies: { local: 'erp/a.dump' } },
    { id: 'site', copies: { local: 'site/*' } },
  ]);
  const quick = await inventoryLocations({ config, logger, datasets: config.datasets, startedAt: new Date() });
  const directoryBefore = quick.results[0]?.copies.find((copy) => copy.kind === 'directory');

  const run = await deepRun(config, 10_000);
  t.same(run.read, ['a.dump', 'v1'], 'both copies of a.dump, and the directory');
  t.match(run.scrub, { readBytes: 1800, copiesRead: 3, totalBytes: 1800, copiesTotal: 3, copiesNotReadRecently: 0 });
  t.equal(run.checksumStats.filesHashed, 3, 'a.dump once, and the directory’s two files');
  const directory = run.copies.find((copy) => copy.kind === 'directory');
  t.equal(directory?.bytes, 800);
  t.equal(directory?.sha256, directoryBefore?.sha256, 'the same manifest digest, read again');
  const [erp, mirror] = run.copies.filter((copy) => copy.name === 'a.dump');
  t.equal(erp?.hashedAt, mirror?.hashedAt, 'the copies of one file share its read');
  t.equal(mirror?.sha256, sha(content('a.dump', 1000)));
});

t.test('a file changed since its read is hashed by the listing, outside the budget', async (t) => {
  const { root, stateDir } = estate(t, { 'a.dump': 1000, 'b.dump': 1000, 'c.dump': 1000 });
  await readEarlier(stateDir, ages(root, { 'a.dump': 50, 'b.dump': 40, 'c.dump': 30 }));
  const changed = Buffer.alloc(2000, 'new');
  writeFileSync(join(root, 'local', 'erp', 'b.dump'), changed);
  const run = await deepRun(diskConfig(root), 1000);
  t.same(run.read, ['a.dump', 'b.dump'], 'b as any run would; a as the oldest');
  t.match(run.scrub, { readBytes: 1000, copiesRead: 1, totalBytes: 2000, copiesTotal: 2 });
  t.equal(run.checksumStats.bytesHashed, 3000, 'b’s 2000 bytes and a’s 1000');
  t.equal(run.copies.find((copy) => copy.name === 'b.dump')?.sha256, sha(changed));
});

t.test('--deep without a budget still reads everything, with the threads that hash as they list', async (t) => {
  const { root, stateDir } = estate(t, { 'a.dump': 1000, 'b.dump': 1000 });
  await readEarlier(stateDir, ages(root, { 'a.dump': 50, 'b.dump': 50 }));
  const run = await deepRun(diskConfig(root), undefined);
  t.same(run.read, ['a.dump', 'b.dump']);
  t.equal(run.scrub, undefined, 'no scrub facts');
});

t.test('disk and bucket alike: an object never read goes before a file read long ago', async (t) => {
  const { root, stateDir } = estate(t, { 'a.dump': 1000, 'b.dump': 1000 });
  await readEarlier(stateDir, ages(root, { 'a.dump': 50, 'b.dump': 40 }));
  // Not t.testdir(): a second call would replace the tree under test.
  mkdirSync(join(root, 's3'));
  const server = await startS3rver(join(root, 's3'));
  t.teardown(() => server.stop());
  const client = testClient(server.endpoint);
  await createBucketWith(client, 'backups', [
    { key: 'erp/x.dump', body: content('x.dump', 1000) },
    { key: 'erp/huge.dump', body: content('huge.dump', 3000) },
  ]);
  client.destroy();
  const proxy = await startCountingProxy(server.port);
  t.teardown(() => proxy.close());
  const credentialsFile = join(root, 'credentials');
  writeFileSync(credentialsFile, credentialsFileText('S3RVER', 'S3RVER'));
  const config = configOf(
    {
      locations: [
        { id: 'local', type: 'disk', path: join(root, 'local'), throughput: '100MB/s' },
        {
          id: 'cloud',
          type: 's3',
          bucket: 'backups',
          endpoint: proxy.endpoint,
          credentialsFile,
          throughput: '10MB/s',
          deepMaxBytes: '2kB',
        },
      ],
      datasets: [{ id: 'erp', copies: { local: 'erp/*.dump', cloud: 'erp/' } }],
    },
    root,
  );
  const gets = () => proxy.methods.get('GET') ?? 0;

  const before = gets();
  const first = await deepRun(config, 1000);
  t.same(first.read, ['x.dump'], 'the object no run ever read');
  t.match(first.scrub, { readBytes: 1000, copiesRead: 1, totalBytes: 3000, copiesTotal: 3 });
  t.equal(first.checksumStats.bytesHashed, 0, 'no local file was read');
  const object = first.copies.find((copy) => copy.name === 'x.dump');
  t.equal(object?.sha256, sha(content('x.dump', 1000)));
  t.ok(gets() > before, 'downloaded');
  const cloud = first.results.find((result) => result.status.id === 'cloud');
  t.equal(cloud?.status.facts.deepSkippedOverMaxBytes, 1, 'huge.dump is over deepMaxBytes: never offered');
  t.equal(cloud?.status.status, 'ok');

  const quick = await inventoryLocations({ config, logger, datasets: config.datasets, startedAt: new Date() });
  const remembered = quick.results.flatMap((result) => result.copies).find((copy) => copy.name === 'x.dump');
  t.match(
    remembered,
    { sha256: object?.sha256, hashedAt: object?.hashedAt },
    'a quick run knows it was read, and when',
  );

  t.same((await deepRun(config, 1000)).read, ['a.dump'], 'then the oldest file');
  t.same((await deepRun(config, 1000)).read, ['b.dump']);
  t.same((await deepRun(config, 1000)).read, ['x.dump'], 'and the object again: the cycle closes');
  t.same(
    [...proxy.methods.keys()].filter((method) => method !== 'GET' && method !== 'HEAD'),
    [],
    'only GET and HEAD reached the bucket',
  );
  t.same(basename(object?.path ?? ''), 'x.dump');

  // Aborted while it downloads what it chose: no result, and the state dir is free for the next run.
  const controller = new AbortController();
  const aborted = inventoryLocations({
    config,
    logger,
    datasets: config.datasets,
    deep: true,
    budgetBytes: 10_000,
    startedAt: new Date(),
    signal: controller.signal,
    progress: (event) => {
      if (event.phase === 'scrub' && event.location === 'cloud') controller.abort();
    },
  });
  await t.rejects(aborted, { name: 'AbortError' });
  t.ok(controller.signal.aborted, 'aborted during the download');
  // What the aborted run hashed before the abort may be kept (the cache is saved as it closes): which
  // copy comes next depends on how far it got, but a next run there is.
  t.equal((await deepRun(config, 1000)).read.length, 1, 'the next run reads again');
});

t.test(
  'an object replaced between the listing and its download is no read: a warning, and it counts for nothing',
  async (t) => {
    const root = t.testdir({ state: {}, s3: {} });
    const server = await startS3rver(join(root, 's3'));
    t.teardown(() => server.stop());
    const client = testClient(server.endpoint);
    t.teardown(() => client.destroy());
    await createBucketWith(client, 'backups', [{ key: 'erp/x.dump', body: content('x.dump', 1000) }]);
    let replaced = false;
    const proxy = await startCountingProxy(server.port, async (request) => {
      // The first download of the object: the backup job writes a new one just then.
      if (request.method === 'GET' && !replaced && request.url?.split('?')[0]?.endsWith('/erp/x.dump')) {
        replaced = true;
        await client.send(new PutObjectCommand({ Bucket: 'backups', Key: 'erp/x.dump', Body: content('y', 1000) }));
      }
    });
    t.teardown(() => proxy.close());
    const credentialsFile = join(root, 'credentials');
    writeFileSync(credentialsFile, credentialsFileText('S3RVER', 'S3RVER'));
    const config = configOf(
      {
        locations: [{ id: 'cloud', type: 's3', bucket: 'backups', endpoint: proxy.endpoint, credentialsFile }],
        datasets: [{ id: 'erp', copies: { cloud: 'erp/' } }],
      },
      root,
    );
    const run = await deepRun(config, 1000);
    t.ok(replaced, 'the object was replaced before its download');
    t.same(run.read, []);
    t.match(run.copies[0], { hashError: 'changed-while-hashing' });
    t.equal(run.copies[0]?.sha256, undefined, 'no hash of bytes that are not the listed object');
    t.match(run.scrub, { readBytes: 0, copiesRead: 0, copiesTotal: 1, copiesNotReadRecently: 1 });
    const cloud = run.results[0]?.status;
    t.equal(cloud?.status, 'degraded', 'the location says so');
    t.match(cloud?.issues, [{ code: 'B321_CHANGED_WHILE_HASHING', severity: 'warning' }]);
  },
);
