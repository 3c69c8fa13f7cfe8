// An aborted run rejects with an AbortError, never yields a report, stops within 2 s and leaves no
// thread, child process or open handle behind, wherever in the run the abort falls.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { configFromDocument } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { verify } from '../../src/verify/run.js';
import { credentialsFileText } from '../helpers/s3-context.js';
import { createBucketWith, type RunningS3rver, startS3rver, testClient } from '../helpers/s3rver.js';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

let server: RunningS3rver;
let root: string;
let config: Config;

/** The process's threads (the main one, libuv's pool, V8's, and every worker thread). */
const threadCount = () => readdirSync('/proc/self/task').length;

/** Processes whose parent is this one, other than the S3 server the test itself started. */
function childProcesses(): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && Number(entry) !== server.pid) children.push(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  return children;
}

/** Open handles and requests, without timers and the writes of the test's own output to its pipe. */
const handles = () =>
  process
    .getActiveResourcesInfo()
    .filter((kind) => !['Timeout', 'TTYWrap', 'SimpleWriteWrap', 'WriteWrap'].includes(kind))
    .sort();

async function settledTo<T>(read: () => T, ok: (value: T) => boolean, ms: number): Promise<T> {
  const until = Date.now() + ms;
  let value = read();
  while (!ok(value) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = read();
  }
  return value;
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
  const loaded = configFromDocument(
    {
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
    },
    join(root, 'agent.json'),
    {},
  );
  if (!loaded.config) throw new Error(JSON.stringify(loaded.problems));
  config = loaded.config;
});
t.teardown(() => server.stop());

const logger = pino({ level: 'silent' });

t.test(
  'aborted anywhere in a deep run over a real tree and bucket, the run rejects promptly and cleanly',
  async (t) => {
    // A whole run first: how long one takes, and what the process holds when none is going.
    const wholeStarted = Date.now();
    const whole = await verify({ config, logger, deep: true });
    const wholeMs = Date.now() - wholeStarted;
    t.equal(whole.report.datasets.length, 1, `a whole deep run takes ${wholeMs} ms`);
    const threadsAtRest = await settledTo(threadCount, () => false, 300);
    const handlesAtRest = handles();

    const points = [0, 1, 5, ...Array.from({ length: 9 }, () => Math.floor(Math.random() * wholeMs))];
    for (const at of points) {
      const controller = new AbortController();
      let abortedAt = 0;
      const timer = setTimeout(() => {
        abortedAt = Date.now();
        controller.abort();
      }, at);
      const outcome = await verify({ config, logger, deep: true, signal: controller.signal }).then(
        (result) => ({ report: result.report, error: undefined }),
        (error: unknown) => ({ report: undefined, error }),
      );
      clearTimeout(timer);
      if (abortedAt === 0) {
        // The run finished before its abort point came: a whole report, as without a signal.
        t.ok(outcome.report, `not aborted at ${at} ms: finished first`);
        continue;
      }
      const stoppedIn = Date.now() - abortedAt;
      t.equal(outcome.report, undefined, `aborted at ${at} ms: no report`);
      t.match(outcome.error, { name: 'AbortError' }, `aborted at ${at} ms: rejects with an AbortError`);
      t.ok(stoppedIn < 2_000, `aborted at ${at} ms: stopped ${stoppedIn} ms after the abort`);
      const threads = await settledTo(threadCount, (n) => n <= threadsAtRest, 2_000);
      t.ok(threads <= threadsAtRest, `aborted at ${at} ms: ${threads} threads, ${threadsAtRest} at rest`);
      t.same(childProcesses(), [], `aborted at ${at} ms: no child process left`);
      t.same(
        await settledTo(handles, (h) => h.length <= handlesAtRest.length, 2_000),
        handlesAtRest,
        `aborted at ${at} ms: no open handle left`,
      );
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
