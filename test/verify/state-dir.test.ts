// One writer per state dir: concurrent runs lose no checksum, a run that finds the dir held goes on
// read-only after a bounded wait, and a run killed midway keeps what it hashed before its last save.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { configFromDocument } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { CACHE_FILE_NAME } from '../../src/integrity/cache-file.js';
import { lockStateDir } from '../../src/state/state-lock.js';
import { verify } from '../../src/verify/run.js';
import { runCli } from '../helpers/cli.js';

const logger = pino({ level: 'silent' });

function tree(root: string, name: string, files: number): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'erp'), { recursive: true });
  // An hour old: a file hashed within 2 s of its mtime is not trusted from the cache (racily clean).
  const hourAgo = new Date(Date.now() - 3_600_000);
  for (let i = 0; i < files; i++) {
    const file = join(dir, 'erp', `erp-${i}.dump`);
    writeFileSync(file, `${name} dump ${i}\n`);
    utimesSync(file, hourAgo, hourAgo);
  }
  return dir;
}

function document(stateDir: string, path: string, extra: object = {}) {
  return {
    agent: { id: 'state', stateDir },
    policy: { minCopies: 1, minMedia: 0, minOffline: 0, drillMaxAge: '0' },
    locations: [{ id: 'local', type: 'disk', path, throughput: '100MB/s' }],
    datasets: [{ id: 'erp', copies: { local: 'erp/*.dump' } }],
    ...extra,
  };
}

function configFor(root: string, stateDir: string, path: string): Config {
  const { config, problems } = configFromDocument(document(stateDir, path), join(root, 'agent.json'), {});
  if (!config) throw new Error(JSON.stringify(problems));
  return config;
}

t.test('two runs at once on one state dir: every file either hashed is in the cache afterwards', async (t) => {
  const root = t.testdir();
  const stateDir = join(root, 'state');
  const a = configFor(root, stateDir, tree(root, 'a', 3));
  const b = configFor(root, stateDir, tree(root, 'b', 2));
  // The second waits for the first however slow the machine is: a read-only run here would be the
  // bounded wait's doing (its own test below), not a lost entry.
  const wait = { logger, stateWaitMs: 15 * 60_000 };
  const first = await Promise.all([verify({ config: a, ...wait }), verify({ config: b, ...wait })]);
  t.same(
    first.map((r) => r.checksumStats.filesHashed),
    [3, 2],
  );
  const again = await Promise.all([verify({ config: a, ...wait }), verify({ config: b, ...wait })]);
  t.same(
    again.map((r) => r.checksumStats),
    [
      { filesHashed: 0, bytesHashed: 0, cacheHits: 3 },
      { filesHashed: 0, bytesHashed: 0, cacheHits: 2 },
    ],
    'the second runs hash nothing: all five entries were kept',
  );
  t.notOk(existsSync(join(stateDir, 'lock')), 'no lock is left behind');
});

t.test(
  "verify while the agent holds the state dir: waits its --state-wait, says so once, runs read-only, keeps the agent's cache",
  async (t) => {
    const root = t.testdir();
    const stateDir = join(root, 'state');
    const data = tree(root, 'data', 3);
    const configFile = join(root, 'agent.json');
    writeFileSync(configFile, JSON.stringify(document(stateDir, data)));
    const config = configFor(root, stateDir, data);
    await verify({ config, logger });
    const cacheBefore = readFileSync(join(stateDir, CACHE_FILE_NAME));
    writeFileSync(join(data, 'erp', 'erp-new.dump'), 'a dump the agent has not seen\n');

    const { lock } = await lockStateDir(stateDir, { purpose: 'agent', waitMs: 0 });
    t.ok(lock);
    const started = Date.now();
    const run = await runCli(['verify', '-c', configFile, '-f', 'json', '--state-wait', '1s']);
    const took = Date.now() - started;
    await lock?.release();

    t.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    t.equal(report.datasets[0].copies.length, 4, 'the run still reads and judges every copy');
    t.ok(
      report.datasets[0].copies.every((c: { sha256?: string }) => c.sha256),
      'cached hashes were used and the new file was hashed',
    );
    t.ok(took >= 1_000, `waited its second (${took} ms)`);
    t.ok(took < 15_000, `and no longer (${took} ms)`);
    const lines = run.stderr.split('\n').filter((line) => line.includes('read-only'));
    t.equal(lines.length, 1, `one line says so: ${run.stderr}`);
    t.match(lines[0], /in use by agent \(pid \d+ on /);
    t.same(readFileSync(join(stateDir, CACHE_FILE_NAME)), cacheBefore, "the agent's cache file is untouched");
  },
);

t.test('--state-wait takes a duration, and says what it wants when given something else', async (t) => {
  const run = await runCli(['verify', '-c', '/nonexistent.json', '--state-wait', 'soon']);
  t.equal(run.code, 3);
  t.match(run.stderr, /--state-wait must be a duration such as 30s, 5m or 0 \(got "soon"\)/);
});

t.test('a run killed with SIGKILL keeps what it hashed before its last progress save', async (t) => {
  const root = t.testdir();
  const stateDir = join(root, 'state');
  const data = tree(root, 'data', 50);
  // An S3 endpoint that takes the connection and never answers (within a 10-minute requestTimeout):
  // the run never finishes, and only a progress save can keep what the disk source hashed.
  const silent = createServer(() => undefined);
  await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
  t.teardown(() => {
    silent.close();
    return undefined;
  });
  const doc = document(stateDir, data, {});
  doc.locations.push({
    id: 'cloud',
    type: 's3',
    bucket: 'backups',
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
    requestTimeout: '10m',
  } as never);
  (doc.datasets[0] as { copies: Record<string, string> }).copies.cloud = 'erp/';
  const script = join(root, 'run.mjs');
  const dist = resolve('dist');
  writeFileSync(
    script,
    `import pino from 'pino';
import { configFromDocument } from ${JSON.stringify(join(dist, 'config/load.js'))};
import { verify } from ${JSON.stringify(join(dist, 'verify/run.js'))};
const { config } = configFromDocument(${JSON.stringify(doc)}, ${JSON.stringify(join(root, 'agent.json'))}, {});
await verify({ config, logger: pino({ level: 'silent' }), cacheSaveEveryMs: 200 });
`,
  );
  const child = spawn(process.execPath, [script], {
    stdio: 'ignore',
    cwd: resolve('.'),
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test-secret' },
  });
  const cacheFile = join(stateDir, CACHE_FILE_NAME);
  const until = Date.now() + 20_000;
  while (!existsSync(cacheFile) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  t.ok(existsSync(cacheFile), 'a progress save wrote the cache while the run was still going');
  // A few more save periods: the disk source has long finished hashing, the run waits on the endpoint.
  await new Promise((r) => setTimeout(r, 1_000));
  t.equal(child.exitCode, null, 'the run was still going');
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));

  const after = await verify({ config: configFor(root, stateDir, data), logger });
  t.same(after.checksumStats, { filesHashed: 0, bytesHashed: 0, cacheHits: 50 }, 'nothing hashed was lost');
  t.notOk(
    (await lockStateDir(stateDir, { purpose: 'test', waitMs: 0 })).lock === undefined,
    "the killed run's lock was taken over",
  );
});
