// `npm run demo` (backup321 demo --fleet): a collector on a temp SQLite file, three agents' real cycles
// reporting to it, the fleet as its API tells it; --serve keeps it up with a reader token to log in with.
import { spawn } from 'node:child_process';
import t from 'tap';
import { BIN, runCli } from '../helpers/cli.js';
import { freePort, until } from '../agent/harness.js';

/** What the test reads of an agent's stored summary report. */
interface AgentReport {
  sources: { id: string }[];
  datasets: {
    id: string;
    findings: { check: string; evidence: { counted: { copy: string; note: string }[] } }[];
  }[];
}

t.test('the whole chain: three agents report, the collector counts them', async (t) => {
  const run = await runCli(['demo', '--fleet']);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /reported to a collector on http:\/\/127\.0\.0\.1:\d+/);
  t.match(run.stdout, /Fleet: 3 agents: 1 compliant, 0 at risk, 2 non-compliant, 0 unknown, 0 silent/);
  t.match(run.stdout, /demo-01 {2}non-compliant {2}datasets: 5 \(1 compliant, 1 at risk, 3 non-compliant, 0 unknown\)/);
  t.match(run.stdout, /demo-02 {2}compliant {2}datasets: 1 \(1 compliant/);
  t.match(run.stdout, /demo-03 {2}non-compliant {2}datasets: 1 \(0 compliant, 0 at risk, 1 non-compliant/);
  t.match(run.stderr, /the estates and the collector database were removed/);
});

t.test('in Vietnamese', async (t) => {
  const run = await runCli(['demo', '--fleet', '--lang', 'vi']);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /Đội máy: 3 tác nhân: 1 tuân thủ/);
  t.match(run.stdout, /demo-02 {2}tuân thủ/);
});

t.test('--serve without --fleet is a usage error', async (t) => {
  const run = await runCli(['demo', '--serve']);
  t.equal(run.code, 3);
  t.match(run.stderr, /use them with --fleet/);
});

t.test('--serve: the collector stays up, the printed token reads its API and opens the dashboard', async (t) => {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'demo', '--fleet', '--serve', '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  t.teardown(() => child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const token = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const found = /^(b321r_\S+)$/m.exec(stdout);
      if (found) resolve(found[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`demo exited ${code}: ${stderr}`)));
  });
  // The note goes to stderr, the token to stdout: two pipes, read in either order.
  await until(() => stderr.includes('the dashboard is at'), 'the note on stderr');
  t.match(stderr, new RegExp(`the dashboard is at http://127\\.0\\.0\\.1:${port}/`));
  const fleet = await fetch(`http://127.0.0.1:${port}/api/v1/fleet`, { headers: { authorization: `Bearer ${token}` } });
  t.equal(fleet.status, 200);
  t.match(await fleet.json(), { agents: 3 });
  const page = await fetch(`http://127.0.0.1:${port}/`, { headers: { cookie: `b321_session=${token}` } });
  t.equal(page.status, 200, 'the dashboard opens with the token as its session');
  t.match(await page.text(), /demo-02/);
  const get = async (path: string) =>
    (await fetch(`http://127.0.0.1:${port}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } })).json();
  const { reports } = (await get('/agents/demo-01/reports')) as { reports: { reportId: string }[] };
  const stored = (await get(`/agents/demo-01/reports/${reports[0]?.reportId}`)) as { body: AgentReport };
  t.match(
    stored.body.sources.find((source) => source.id === 'cloud'),
    { type: 's3', status: 'ok', copies: 1 },
  );
  const integrity = stored.body.datasets
    .find((dataset) => dataset.id === 'erp-db')
    ?.findings.find((finding) => finding.check === 'integrity');
  t.match(integrity, { status: 'pass' });
  t.same(
    integrity?.evidence.counted.find((entry) => entry.copy.startsWith('cloud:')),
    { copy: 'cloud:s3://demo-01-offsite/erp/erp-db-latest.dump', note: 's3-checksum' },
    "the agent's report: the offsite copy checked by its store's SHA-256",
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  t.equal(await exited, 0);
});
