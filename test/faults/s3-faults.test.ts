// An S3 endpoint that hangs, resets every connection, or answers 500 / 503, reached by the real
// @aws-sdk/client-s3 inside the real agent: each request is tried a bounded number of times with a
// timeout, the run ends with the bucket's dataset `unknown` (never passed, never failed for it), and the
// agent's /healthz answers while the bucket hangs. Adjacent ground: test/sources/s3/** (the source
// against s3rver and test/fixtures/s3-fixture-server.ts, throttling with throttleFirst, stalled bodies).
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { S3_MAX_ATTEMPTS } from '../../src/sources/s3/client.js';
import { startCollector } from '../agent/collector.js';
import { agentEstate, freePort, startAgent, TOKEN, until } from '../agent/harness.js';
import { credentialsFileText } from '../helpers/s3-context.js';
import { type S3Fault, startS3FaultServer } from './s3-fault-server.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface Finding {
  check: string;
  status: string;
  reason: string;
}

const FAULTS: Array<{ fault: S3Fault; what: string }> = [
  { fault: 'hang', what: 'an endpoint that never answers' },
  { fault: 'reset', what: 'an endpoint that resets every connection' },
  { fault: 500, what: 'an endpoint answering 500 InternalError' },
  { fault: 503, what: 'an endpoint answering 503 SlowDown' },
];

for (const { fault, what } of FAULTS) {
  t.test(what, async (t) => {
    const s3 = await startS3FaultServer(fault);
    const collector = await startCollector({ token: TOKEN });
    t.teardown(async () => {
      await s3.close();
      await collector.close();
    });
    const root = t.testdir({});
    const healthPort = await freePort();
    // One run, at the start: the requests counted are that run's.
    const estate = agentEstate(root, collector.url, { verify: '0 0 0 1 1 *', healthPort });
    const credentialsFile = join(root, 'credentials');
    writeFileSync(credentialsFile, credentialsFileText('AKIAFAULTTEST', 'fault-test-secret'), { mode: 0o600 });
    const locations = estate.config.locations as unknown[];
    const datasets = estate.config.datasets as unknown[];
    estate.rewrite({
      locations: [
        ...locations,
        { id: 'cloud', type: 's3', bucket: 'backups', endpoint: s3.endpoint, credentialsFile, requestTimeout: '2s' },
      ],
      datasets: [...datasets, { id: 'cloud-db', copies: { cloud: 'db/' } }],
    });
    // A drill logged for it, so the one check the bucket does not decide passes and the verdict is the bucket's.
    const drill = { dataset: 'cloud-db', startedAt: new Date(Date.now() - 5 * DAY - HOUR).toISOString() };
    const finishedAt = new Date(Date.now() - 5 * DAY).toISOString();
    appendFileSync(
      join(root, 'restore-drills.jsonl'),
      `${JSON.stringify({ ...drill, finishedAt, result: 'success' })}\n`,
    );
    const agent = startAgent(['-c', estate.configFile]);
    t.teardown(async () => {
      agent.child.kill('SIGKILL');
      await agent.exited;
    });
    await until(() => s3.requests.length > 0, 'a first S3 request');
    if (fault === 'hang') {
      // While a request hangs, the agent's own endpoint still answers from memory.
      await until(() => s3.pending() > 0, 'a hanging request');
      const health = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
      const body = (await health.json()) as { status: string };
      t.ok(s3.pending() > 0, 'the S3 request still hangs');
      t.ok([200, 503].includes(health.status), `/healthz answers during the hang (${health.status}, ${body.status})`);
    }
    await agent.waitForLine((l) => l.event === 'run-finished', 180_000);
    await until(() => collector.stored.size >= 1, 'the report');

    const byOperation = new Map<string, number>();
    for (const request of s3.requests) byOperation.set(request, (byOperation.get(request) ?? 0) + 1);
    t.comment(`figure: ${s3.requests.length} requests: ${JSON.stringify(Object.fromEntries(byOperation))}`);
    for (const [operation, count] of byOperation) {
      t.ok(count <= S3_MAX_ATTEMPTS, `${operation}: ${count} attempt(s), at most ${S3_MAX_ATTEMPTS}`);
    }
    const report = JSON.parse([...collector.stored.values()][0] as string) as {
      datasets: Array<{ id: string; verdict: string; findings: Finding[] }>;
      sources: Array<{ id: string; status: string; issues: Array<{ code: string }> }>;
    };
    const cloud = report.sources.find((l) => l.id === 'cloud');
    t.equal(cloud?.status, 'unreadable', 'the bucket is reported unreadable');
    t.ok(cloud?.issues.length, `with its issues (${[...new Set(cloud?.issues.map((i) => i.code))].join(', ')})`);
    const dataset = report.datasets.find((d) => d.id === 'cloud-db');
    t.equal(dataset?.verdict, 'unknown', "the bucket's dataset is unknown, neither compliant nor non-compliant");
    const decidedByBucket = dataset?.findings.filter((f) => f.check !== 'restore-drill') ?? [];
    t.equal(decidedByBucket.length, 6, 'six checks read the bucket');
    t.same(
      decidedByBucket.map((f) => [f.check, f.status, f.reason]),
      decidedByBucket.map((f) => [f.check, 'unknown', 'source-unreadable']),
      'every check the bucket decides is unknown',
    );
    t.equal(report.datasets.find((d) => d.id === 'erp-db')?.verdict, 'compliant', 'the disks are judged as ever');
  });
}
