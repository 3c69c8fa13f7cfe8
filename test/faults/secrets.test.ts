// The agent's token and an S3 secret key never leave in what the agent writes or says: a real agent
// runs through a collector that answers 503, 400 (dead letter) and 401, and two buckets that fail (one
// answering 500, one whose credentials file lacks the profile named), at debug level, with a textfile;
// then every output is searched for both secrets: stdout, stderr, every report body received, /metrics,
// the textfile, and every file of the state dir (outbox, dead letters, cache, sequence, ...). Zero hits.
// Adjacent ground: test/agent/credentials.test.ts, test/logging.test.ts (the redaction paths).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { startCollector } from '../agent/collector.js';
import { agentEstate, freePort, startAgent, TOKEN, until } from '../agent/harness.js';
import { credentialsFileText } from '../helpers/s3-context.js';
import { startS3FaultServer } from './s3-fault-server.js';

const S3_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRET0test';
const SECRETS = { token: TOKEN, 's3 secret key': S3_SECRET };

/** Every regular file under `dir`, with its bytes. */
function filesUnder(dir: string): Array<{ path: string; bytes: Buffer }> {
  const out: Array<{ path: string; bytes: Buffer }> = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const info = statSync(path);
    if (info.isDirectory()) out.push(...filesUnder(path));
    else if (info.isFile()) out.push({ path, bytes: readFileSync(path) });
  }
  return out;
}

t.test('no token and no S3 secret in any output of an agent whose run fails in several ways', async (t) => {
  const s3 = await startS3FaultServer(500);
  const collector = await startCollector({ token: TOKEN });
  t.teardown(async () => {
    await s3.close();
    await collector.close();
  });
  const root = t.testdir({ textfile: {} });
  const healthPort = await freePort();
  const estate = agentEstate(root, collector.url, { everySeconds: 2, healthPort });
  const credentialsFile = join(root, 'credentials');
  writeFileSync(credentialsFile, credentialsFileText('AKIAFAULTSECRETS', S3_SECRET), { mode: 0o600 });
  estate.rewrite({
    locations: [
      ...(estate.config.locations as unknown[]),
      { id: 'cloud', type: 's3', bucket: 'backups', endpoint: s3.endpoint, credentialsFile, requestTimeout: '2s' },
      {
        id: 'cloud-b',
        type: 's3',
        bucket: 'backups',
        endpoint: s3.endpoint,
        credentialsFile,
        profile: 'not-in-the-file',
        requestTimeout: '2s',
      },
    ],
    datasets: [
      ...(estate.config.datasets as unknown[]),
      { id: 'cloud-db', copies: { cloud: 'db/', 'cloud-b': 'db/' } },
    ],
  });
  // The collector refuses: 503 first, then 400 once (a dead letter), then stores.
  let answered = 0;
  collector.override = () => {
    answered++;
    if (answered <= 2) return { status: 503, headers: { 'retry-after': '0' } };
    if (answered === 3) return { status: 400, body: '{"error":"bad report","path":"$.seq"}' };
    return undefined;
  };
  const textfile = join(root, 'textfile');
  const agent = startAgent([
    '-c',
    estate.configFile,
    '--log-level',
    'debug',
    '--textfile',
    textfile,
    '--retry-min',
    '100ms',
    '--retry-max',
    '500ms',
  ]);
  let stdout = '';
  agent.child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  t.teardown(async () => {
    agent.child.kill('SIGKILL');
    await agent.exited;
  });
  await until(() => collector.stored.size >= 2, 'two reports stored after the refusals', 120_000);
  // Then the token is refused: the agent logs the pause.
  collector.override = () => ({ status: 401 });
  const refusedFrom = agent.lines.length;
  await agent.waitForLine((l) => (l.level as number) >= 50 && l.status === 401, 120_000, refusedFrom);
  const metrics = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
  const healthz = await (await fetch(`http://127.0.0.1:${healthPort}/healthz`)).text();
  agent.child.kill('SIGTERM');
  t.equal((await agent.exited).code, 0, 'the agent stops cleanly');

  const failures = {
    s3: agent.lines.filter((l) => /B321_S3|s3|bucket|profile/i.test(JSON.stringify(l)) && (l.level as number) >= 40)
      .length,
    collector503: collector.deliveries.filter((d) => d.status === 503).length,
    deadLetters: readdirSync(join(estate.stateDir, 'dead-letter')).length,
    collector401: collector.deliveries.filter((d) => d.status === 401).length,
  };
  t.ok(
    failures.collector503 >= 2 && failures.deadLetters >= 1 && failures.collector401 >= 1,
    'the run failed in each way',
  );
  const reports = collector.deliveries.map((d) => d.body);
  const cloud = JSON.parse(reports.at(-1) as string).sources.filter((s: { id: string }) => s.id.startsWith('cloud'));
  t.same(
    cloud.map((s: { status: string }) => s.status),
    ['unreadable', 'unreadable'],
    'both buckets failed',
  );

  const outputs: Array<{ where: string; bytes: Buffer }> = [
    { where: 'stdout', bytes: Buffer.from(stdout) },
    { where: 'stderr', bytes: Buffer.from(agent.stderr()) },
    { where: '/metrics', bytes: Buffer.from(metrics) },
    { where: '/healthz', bytes: Buffer.from(healthz) },
    ...reports.map((body, i) => ({ where: `report body ${i + 1}`, bytes: Buffer.from(body) })),
    ...filesUnder(textfile).map((f) => ({ where: f.path, bytes: f.bytes })),
    ...filesUnder(estate.stateDir).map((f) => ({ where: f.path, bytes: f.bytes })),
  ];
  let hits = 0;
  for (const [name, secret] of Object.entries(SECRETS)) {
    const found = outputs.filter((o) => o.bytes.includes(secret));
    hits += found.length;
    t.same(
      found.map((o) => o.where),
      [],
      `the ${name} appears nowhere`,
    );
  }
  const bytes = outputs.reduce((sum, o) => sum + o.bytes.length, 0);
  // The agent did hold the token: it went where it belongs, in the Authorization header, and nowhere else.
  t.ok(
    collector.deliveries.some((d) => d.authorization === `Bearer ${TOKEN}`),
    'the token was sent as the bearer',
  );
  const bucketIssues = cloud.flatMap((s: { issues: Array<{ message: string }> }) => s.issues.map((i) => i.message));
  t.comment(`the buckets' issues: ${[...new Set(bucketIssues)].join(' | ').slice(0, 800)}`);
  t.ok(stdout.length > 0 && metrics.includes('backup321_') && reports.length >= 4, 'the outputs searched are real');
  t.comment(
    `figure: ${hits} secret hits in ${outputs.length} outputs (${bytes} bytes): ${agent.lines.length} log lines, ` +
      `${reports.length} report bodies, ${outputs.length - 4 - reports.length} files; failures: ${JSON.stringify(failures)}`,
  );
});
