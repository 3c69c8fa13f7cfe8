// `backup321 collector` as users run it (the built binary, child processes): tokens created, listed
// and revoked; the service on a SQLite file and its SIGTERM; two collectors on one PostgreSQL taking
// the same reports at once and storing each once.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { SummaryReport } from '../../src/report-schema/types.js';
import { waitFor } from '../agent/wait-for.js';
import { BINARY, runBinary } from '../cli/run-binary.js';
import { exchange } from './api-fixture.js';
import { freshSchema, PG_URL, whenPostgres } from './store-backends.js';
import { demoBase, vary } from './store-fixture.js';

const base = demoBase(t);

interface Running {
  url: string;
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<number | null>;
}

async function startService(t: Test, args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [BINARY, 'collector', '--listen', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const listening = () =>
    out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
      .find((line) => line.msg === 'collector listening');
  await waitFor(() => listening() !== undefined || child.exitCode !== null, 60_000, 'the collector to listen');
  const found = listening();
  if (!found) throw new Error(`the collector did not start: ${err}`);
  return { url: `http://127.0.0.1:${found.address.port}`, child, stdout: () => out, exited };
}

async function createToken(db: string, who: string[]): Promise<string> {
  const created = await runBinary(['collector', 'token', 'create', '--db', db, ...who]);
  if (created.code !== 0) throw new Error(created.stderr);
  return created.stdout.trimEnd().split('\n').at(-1) as string;
}

const post = (url: string, token: string, report: SummaryReport) =>
  exchange(`${url}/api/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: Buffer.from(JSON.stringify(report)),
  });

t.test('token create prints the token alone on the last line; list and revoke; usage errors exit 3', async (t) => {
  const db = join(t.testdir(), 'collector.sqlite');
  const created = await runBinary(['collector', 'token', 'create', '--db', db, '--agent', 'web-1']);
  t.equal(created.code, 0, created.stderr);
  const lines = created.stdout.trimEnd().split('\n');
  t.match(lines.at(-1), /^b321a_[A-Za-z0-9_-]{43}$/);
  const id = /tok_[0-9a-f]{12}/.exec(created.stdout)?.[0] as string;
  const reader = await createToken(db, ['--reader', 'auditor']);
  t.match(reader, /^b321r_/);
  const listed = await runBinary(['collector', 'token', 'list', '--db', db]);
  t.equal(listed.code, 0);
  t.match(listed.stdout, new RegExp(`${id}\\s+agent\\s+web-1`));
  t.notOk(listed.stdout.includes(lines.at(-1) as string), 'never a token in the list');
  t.equal((await runBinary(['collector', 'token', 'revoke', '--db', db, '--token-id', id])).code, 0);
  t.match(
    (await runBinary(['collector', 'token', 'list', '--db', db])).stdout,
    new RegExp(`${id}\\s+agent\\s+web-1\\s+\\S+\\s+20`),
  );
  t.equal((await runBinary(['collector', 'token', 'revoke', '--db', db, '--agent', 'nobody'])).code, 3);
  t.equal((await runBinary(['collector', 'token', 'create', '--db', db])).code, 3, 'neither --agent nor --reader');
  t.equal((await runBinary(['collector', 'token', 'create', '--db', db, '--agent', 'a', '--reader', 'b'])).code, 3);
  t.equal((await runBinary(['collector', '--db', db, '--listen', 'everywhere'])).code, 3, 'a bad --listen');
  t.equal((await runBinary(['collector', '--db', db, '--retention', '0'])).code, 3);
  t.equal(
    (await runBinary(['collector', '--db', join(t.testdir(), 'no', 'such', 'dir.sqlite')])).code,
    3,
    'no such directory',
  );
});

t.test('the service on a SQLite file: stores a report, /healthz, SIGTERM exits 0 and logs no token', async (t) => {
  const db = join(t.testdir(), 'collector.sqlite');
  const token = await createToken(db, ['--agent', 'agent-1']);
  const service = await startService(t, ['--db', db, '--retention', '400d', '--silent-after', '30m']);
  const report = vary(base(), { agentId: 'agent-1', seq: 1 });
  t.equal((await post(service.url, token, report)).status, 201);
  t.equal((await post(service.url, token, report)).status, 200);
  t.equal((await exchange(`${service.url}/healthz`, { method: 'GET' })).status, 200);
  service.child.kill('SIGTERM');
  t.equal(await service.exited, 0);
  t.match(service.stdout(), /"msg":"collector stopped"/);
  t.notOk(service.stdout().includes(token), 'no token in the log');
});

await whenPostgres(t, 'two collector processes on one PostgreSQL', () => {
  t.test('two collectors on one PostgreSQL take the same reports at once: each stored once', async (t) => {
    const schema = await freshSchema(t);
    const db = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const token = await createToken(db, ['--agent', 'agent-1']);
    const reader = await createToken(db, ['--reader', 'auditor']);
    const [one, two] = await Promise.all([startService(t, ['--db', db]), startService(t, ['--db', db])]);
    const reports = Array.from({ length: 30 }, (_, i) => vary(base(), { agentId: 'agent-1', seq: i + 1, at: i }));
    const answers = await Promise.all(
      reports.flatMap((report) => [
        post((one as Running).url, token, report),
        post((two as Running).url, token, report),
      ]),
    );
    const statuses = answers.map((a) => a.status);
    t.equal(statuses.filter((s) => s === 201).length, 30, 'each report stored once');
    t.equal(statuses.filter((s) => s === 200).length, 30, 'the other collector answered "already stored"');
    for (const service of [one, two] as Running[]) {
      const page = await exchange(`${service.url}/api/v1/agents/agent-1/reports?limit=100`, {
        method: 'GET',
        headers: { authorization: `Bearer ${reader}` },
      });
      t.equal(page.json().reports.length, 30, 'both collectors see every report');
    }
    for (const service of [one, two] as Running[]) service.child.kill('SIGTERM');
    t.same(await Promise.all([(one as Running).exited, (two as Running).exited]), [0, 0]);
  });
});
