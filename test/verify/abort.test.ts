// An aborted run rejects with an AbortError, never yields a report, stops within 2 s (a quarter of a whole
// run where the machine is slower than that) and leaves no thread, child process or open handle behind,
// wherever in the run the abort falls.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import t from 'tap';
import { configFromDocument } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import type * as Run from '../../src/verify/run.js';

// The built product, as operators run it: its worker threads start in milliseconds, while under the
// test loader each one loads TypeScript again (≈ 1.5 s), which is no part of stopping a run.
const { verify } = (await import(new URL('../../dist/verify/run.js', import.meta.url).href)) as typeof Run;
import { credentialsFileText } from '../helpers/s3-context.js';
import { createBucketWith, type RunningS3rver, startS3rver, testClient } from '../helpers/s3rver.js';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

let server: RunningS3rver;
let root: string;
let config: Config;
let document: object;

interface AbortRuns {
  wholeMs: number;
  threadsAtRest: number;
  handlesAtRest: string[];
  runs: Array<{
    at: number;
    aborted: boolean;
    report: boolean;
    errorName?: string;
    message?: string;
    stoppedInMs?: number;
    threads: number;
    children: number[];
    handles: string[];
  }>;
}

t.before(async () => {
  root = t.testdir({ s3: {}, state: {}, local: {}, nas: {} });
  const big = Buffer.alloc(48 * 2 ** 20, 7);
  for (const location of ['local', 'nas']) {
    for (let d = 0; d < 20; d++) {
      const dir = join(root, location, 'erp', `d${d}`);
      mkdirSync(dir, { recursive: true });
      for (let f = 0; f < 100; f++) writeFileSync(join(dir, `erp-${d}-${f}.dump`), `dump ${location} ${d} ${f}\n`);
    }
    writeFileSync(join(root, location, 'erp', 'full.dump'), big);
  }
  const credentialsFile = join(root, 'credentials');
  writeFileSync(credentialsFile, credentialsFileText('S3RVER', 'S3RVER'));
  server = await startS3rver(join(root, 's3'));
  const client = testClient(server.endpoint);
  const objects = Array.from({ length: 200 }, (_, i) => ({ key: `erp/obj-${i}.dump`, body: `object ${i}\n` }));
  objects.push({ key: 'erp/obj-0.dump.sha256', body: `${sha256('object 0\n')}  obj-0.dump\n` });
  await createBucketWith(client, 'backups', objects);
  client.destroy();
  const media = join(root, 'offline-media.jsonl');
  writeFileSync(
    media,
    `${JSON.stringify({ ts: '2026-12-01T00:00:00Z', event: 'written', media: 'T1', mediumType: 'tape', dataset: 'erp', file: 'erp.dump', sha256: 'a'.repeat(64), bytes: 10 })}\n`,
  );
  const drills = join(root, 'restore-drills.jsonl');
  writeFileSync(
    drills,
    `${JSON.stringify({ dataset: 'erp', startedAt: '2026-12-01T00:00:00Z', finishedAt: '2026-12-01T01:00:00Z', result: 'success', location: 'local' })}\n`,
  );
  document = {
    agent: { id: 'abort', stateDir: join(root, 'state') },
    locations: [
      { id: 'local', type: 'disk', path: join(root, 'local'), throughput: '500MB/s' },
      { id: 'nas', type: 'disk', path: join(root, 'nas'), medium: 'network-share', throughput: '100MB/s' },
      {
        id: 'cloud',
        type: 's3',
        bucket: 'backups',
        endpoint: server.endpoint,
        credentialsFile,
        throughput: '50MB/s',
      },
      { id: 'vault', type: 'offline-log', path: media },
    ],
    datasets: [{ id: 'erp', copies: { local: 'erp/**/*.dump', nas: 'erp/**/*.dump', cloud: 'erp/', vault: 'erp' } }],
    restoreDrills: drills,
  };
  const loaded = configFromDocument(document, join(root, 'agent.json'), {});
  if (!loaded.config) throw new Error(JSON.stringify(loaded.problems));
  config = loaded.config;
});
t.teardown(() => server.stop());

const logger = pino({ level: 'silent' });

t.test(
  'aborted anywhere in a deep run over a real tree and bucket, the run rejects promptly and cleanly',
  async (t) => {
    // In a plain Node process running the built product, as an agent does: the test loader and the
    // coverage instrumentation of this one slow every thread's start tenfold, which says nothing of
    // how fast a run stops.
    const env = { ...process.env };
    delete env.NODE_V8_COVERAGE;
    delete env.NODE_OPTIONS;
    const run = spawnSync(
      process.execPath,
      [
        fileURLToPath(new URL('./abort-runs.mjs', import.meta.url)),
        new URL('../../dist/', import.meta.url).href,
        JSON.stringify(document),
        join(root, 'agent.json'),
        'random',
      ],
      { env, encoding: 'utf8', cwd: resolve('.'), timeout: 240_000 },
    );
    t.equal(run.status, 0, run.stderr);
    const { wholeMs, threadsAtRest, handlesAtRest, runs } = JSON.parse(run.stdout) as AbortRuns;
    t.ok(wholeMs > 0, `a whole deep run takes ${wholeMs} ms`);
    // 2 s, or a quarter of a whole run on a machine slowed that much (a busy CI host: 12.8 s for a run
    // of ≈ 3 s): an abort that waited for the run would take the rest of it, and leave a report.
    const promptMs = Math.max(2_000, Math.round(wholeMs / 4));
    for (const r of runs) {
      if (!r.aborted) {
        // The run finished before its abort point came: a whole report, as without a signal.
        t.ok(r.report, `not aborted at ${r.at} ms: finished first`);
        continue;
      }
      t.equal(r.report, false, `aborted at ${r.at} ms: no report`);
      t.equal(r.errorName, 'AbortError', `aborted at ${r.at} ms: rejects with an AbortError (${r.message})`);
      t.ok(
        (r.stoppedInMs ?? Infinity) < promptMs,
        `aborted at ${r.at} ms: stopped ${r.stoppedInMs} ms after the abort (within ${promptMs} ms)`,
      );
      t.ok(r.threads <= threadsAtRest, `aborted at ${r.at} ms: ${r.threads} threads, ${threadsAtRest} at rest`);
      t.same(r.children, [], `aborted at ${r.at} ms: no child process left`);
      t.same(r.handles, handlesAtRest, `aborted at ${r.at} ms: no open handle left`);
    }
  },
);

t.test('a signal aborted before the run starts rejects at once', async (t) => {
  const signal = AbortSignal.abort();
  await t.rejects(verify({ config, logger, signal }), { name: 'AbortError' });
});

t.test(
  "a run aborted with the caller's own reason still rejects with an AbortError, the reason as its cause",
  async (t) => {
    const controller = new AbortController();
    const reason = new Error('SIGTERM: the agent is stopping');
    setTimeout(() => controller.abort(reason), 20);
    const error = await verify({ config, logger, signal: controller.signal }).then(
      () => undefined,
      (e: unknown) => e,
    );
    t.match(error, { name: 'AbortError' });
    t.equal((error as Error).cause, reason);
  },
);
