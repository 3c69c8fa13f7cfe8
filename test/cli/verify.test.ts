// `backup321 verify` end to end: the built binary over a real estate on disk, its exit codes and its output.
import t from 'tap';
import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDemoEstate } from '../../src/demo/estate.js';
import type { Report } from '../../src/model.js';
import { runCli, snapshotTree } from '../helpers/cli.js';

function estate(t: { testdir: () => string }) {
  const root = t.testdir();
  const { configFile } = buildDemoEstate(root, new Date());
  return { root, configFile };
}

t.test('verify explains every dataset: compliant, at risk, too few copies, corrupt, stale', async (t) => {
  const { configFile } = estate(t);
  const { code, stdout } = await runCli(['verify', '--config', configFile, '--format', 'json']);
  t.equal(code, 2, 'the worst dataset is non-compliant: exit 2');
  const report = JSON.parse(stdout) as Report;
  const verdicts = Object.fromEntries(report.datasets.map((d) => [d.id, d.verdict]));
  t.same(verdicts, {
    'erp-db': 'compliant',
    wiki: 'at-risk',
    mail: 'non-compliant',
    files: 'non-compliant',
    crm: 'non-compliant',
  });
  const finding = (dataset: string, check: string) =>
    report.datasets.find((d) => d.id === dataset)?.findings.find((f) => f.check === check);
  t.match(finding('mail', 'copies'), { status: 'fail', reason: 'too-few', params: { have: 1, need: 3 } });
  t.match(finding('files', 'integrity'), { status: 'fail', reason: 'corrupt' });
  t.match(finding('crm', 'freshness'), { status: 'fail', reason: 'stale' });
  t.match(finding('wiki', 'integrity'), { status: 'warn', reason: 'unverified' });
  t.match(finding('erp-db', 'restore-time'), { status: 'pass' });
  t.equal(report.schemaVersion, 1);
  t.match(report.reportId, /^[0-9a-f-]{36}$/);
  t.equal(report.summary.exitCode, 2);
});

t.test('--dataset selects; the exit code follows the selection', async (t) => {
  const { configFile } = estate(t);
  t.equal((await runCli(['verify', '-c', configFile, '--dataset', 'erp-db'])).code, 0);
  t.equal((await runCli(['verify', '-c', configFile, '--dataset', 'wiki'])).code, 1);
  t.equal((await runCli(['verify', '-c', configFile, '-d', 'erp-db', '-d', 'wiki'])).code, 1);
  const unknown = await runCli(['verify', '-c', configFile, '--dataset', 'nope']);
  t.equal(unknown.code, 3);
  t.match(unknown.stderr, /unknown dataset "nope"/);
});

t.test('a full run changes nothing under any location', async (t) => {
  const { root, configFile } = estate(t);
  const watched = ['local', 'nas'].map((d) => join(root, d));
  const before = watched.map(snapshotTree);
  const logBefore = readFileSync(join(root, 'offline-media.jsonl'));
  await runCli(['verify', '-c', configFile, '--deep']);
  await runCli(['verify', '-c', configFile]);
  await runCli(['verify', '-c', configFile, '--deep', '--budget', '1kB']);
  await runCli(['inventory', '-c', configFile]);
  t.same(watched.map(snapshotTree), before, 'contents and mtimes identical');
  t.same(readFileSync(join(root, 'offline-media.jsonl')), logBefore);
});

t.test(
  'rot behind an unchanged size and mtime: a plain run reads the file again (its ctime moved), and keeps saying so',
  async (t) => {
    const { root, configFile } = estate(t);
    const erpDb = (report: Report) => report.datasets.find((d) => d.id === 'erp-db');
    const findingOf = (report: Report, check: string) => erpDb(report)?.findings.find((f) => f.check === check);
    const copyOf = (report: Report) => erpDb(report)?.copies.find((c) => /^nas:.*erp-db-latest\.dump$/.test(c.id));
    const first = JSON.parse((await runCli(['verify', '-c', configFile, '--format', 'json'])).stdout) as Report;
    t.match(findingOf(first, 'integrity'), { status: 'pass' });
    // Same size, same mtime, other bytes: what a careless restore or a tamperer leaves (the ctime moves).
    const rotted = join(root, 'nas/erp/erp-db-latest.dump');
    const { mtime, size } = statSync(rotted);
    writeFileSync(rotted, Buffer.alloc(size, 0x5a));
    utimesSync(rotted, mtime, mtime);
    const plainRun = await runCli(['verify', '-c', configFile, '--format', 'json']);
    const plain = JSON.parse(plainRun.stdout) as Report;
    t.match(findingOf(plain, 'integrity'), { status: 'fail' }, 'no --deep needed: the file is read again');
    t.match(copyOf(plain), {
      contentChanged: { previousSha256: copyOf(first)?.sha256, previousHashedAt: copyOf(first)?.hashedAt },
    });
    t.not(copyOf(plain)?.sha256, copyOf(first)?.sha256);
    t.match(plainRun.stderr, /content changed although size and mtime did not/, 'and the log says what changed');
    const deep = JSON.parse(
      (await runCli(['verify', '-c', configFile, '--deep', '--format', 'json'])).stdout,
    ) as Report;
    t.match(findingOf(deep, 'integrity'), { status: 'fail' });
    t.same(copyOf(deep)?.contentChanged, copyOf(plain)?.contentChanged, 'a later run, --deep too, keeps the finding');
  },
);

t.test('text, markdown, junit and Vietnamese output', async (t) => {
  const { configFile } = estate(t);
  const text = await runCli(['verify', '-c', configFile]);
  t.match(text.stdout, /erp-db/);
  t.notOk(text.stdout.includes('\u001b['), 'no colour when piped');
  const md = await runCli(['verify', '-c', configFile, '--format', 'markdown']);
  t.match(md.stdout, /^#/m);
  const junit = await runCli(['verify', '-c', configFile, '--format', 'junit']);
  t.match(junit.stdout, /^<\?xml/);
  t.equal((junit.stdout.match(/<testcase /g) ?? []).length, 5 * 7, 'one testcase per dataset × check');
  const vi = await runCli(['verify', '-c', configFile, '--lang', 'vi']);
  t.match(vi.stdout, /không tuân thủ/);
  const bad = await runCli(['verify', '-c', configFile, '--format', 'yaml']);
  t.equal(bad.code, 3);
  t.match(bad.stderr, /--format must be one of/);
});

t.test('--output writes the report atomically and prints the status line', async (t) => {
  const { root, configFile } = estate(t);
  const out = join(root, 'report.json');
  const { code, stdout } = await runCli(['verify', '-c', configFile, '-f', 'json', '-o', out]);
  t.equal(code, 2);
  t.match(stdout, /^BACKUP321 CRITICAL - 5 datasets: 1 compliant, 1 at risk, 3 non-compliant, 0 unknown \|/);
  t.equal((JSON.parse(readFileSync(out, 'utf8')) as Report).datasets.length, 5);
});

t.test('a missing location directory makes its checks unknown, exit 3 when nothing fails', async (t) => {
  const { root, configFile } = estate(t);
  const config = JSON.parse(readFileSync(configFile, 'utf8'));
  config.locations[1].path = join(root, 'not-mounted');
  writeFileSync(configFile, JSON.stringify(config));
  // wiki has one copy each on local, nas and a USB disk: without the NAS, two copies might be all there is.
  const { code, stdout } = await runCli(['verify', '-c', configFile, '-d', 'wiki', '-f', 'json']);
  t.equal(code, 3);
  const report = JSON.parse(stdout) as Report;
  t.match(
    report.sources.find((s) => s.id === 'nas'),
    { status: 'unreadable' },
  );
  t.match(
    report.datasets[0]?.findings.find((f) => f.check === 'copies'),
    { status: 'unknown', reason: 'source-unreadable' },
  );
  t.match(
    report.datasets[0]?.findings.find((f) => f.check === 'media'),
    { status: 'pass' },
    'a pass that holds without the NAS stands',
  );
  const erp = JSON.parse((await runCli(['verify', '-c', configFile, '-d', 'erp-db', '-f', 'json'])).stdout) as Report;
  const erpFinding = (check: string) => erp.datasets[0]?.findings.find((f) => f.check === check);
  t.match(
    erpFinding('copies'),
    { status: 'pass' },
    'erp-db has three devices even without the NAS (two tapes and the local disk)',
  );
  t.match(
    erpFinding('integrity'),
    { status: 'unknown', reason: 'source-unreadable' },
    'but an unseen copy could be corrupt',
  );
});

t.test('an invalid config exits 3 and names the JSON path', async (t) => {
  const { configFile } = estate(t);
  const config = JSON.parse(readFileSync(configFile, 'utf8'));
  config.policy.rpo = 'one day';
  config.locations[0].pathh = '/x';
  writeFileSync(configFile, JSON.stringify(config));
  const { code, stderr } = await runCli(['verify', '-c', configFile]);
  t.equal(code, 3);
  t.match(stderr, /policy\.rpo: "one day" is not valid here — write a duration such as "24h"/);
  t.match(stderr, /locations\[0\]\.pathh: unknown key "pathh" — did you mean "path"\?/);
});

t.test('config check prints every problem at once, including paths missing on this machine', async (t) => {
  const { root, configFile } = estate(t);
  const config = JSON.parse(readFileSync(configFile, 'utf8'));
  config.locations[1].path = join(root, 'gone');
  writeFileSync(configFile, JSON.stringify(config));
  const { code, stdout } = await runCli(['config', 'check', '-c', configFile]);
  t.equal(code, 3);
  t.match(stdout, /error: locations\[1\]\.path: directory does not exist/);
  const good = await runCli(['config', 'check', '-c', 'agent.config.example.json', '--format', 'json']);
  const parsed = JSON.parse(good.stdout);
  t.ok(
    parsed.problems.some((p: { path: string }) => p.path === 'locations[0].path'),
    "the example's /backup does not exist here",
  );
});

t.test(
  'config check: a schema error does not hide duplicate ids, unknown location ids or missing directories',
  async (t) => {
    const { root, configFile } = estate(t);
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    config.policy.rpo = 'one day'; // a schema error
    config.locations[1].path = join(root, 'gone'); // missing on this machine
    config.datasets[0].copies.tape = 'erp-db'; // no such location
    config.datasets[1].id = config.datasets[0].id; // duplicate id
    writeFileSync(configFile, JSON.stringify(config));
    const { code, stdout } = await runCli(['config', 'check', '-c', configFile]);
    t.equal(code, 3);
    t.match(stdout, /error: policy\.rpo: "one day" is not valid here/);
    t.match(stdout, /error: locations\[1\]\.path: directory does not exist/);
    t.match(stdout, /error: datasets\[0\]\.copies\.tape: no location has the id "tape"/);
    t.match(stdout, /error: datasets\[1\]\.id: dataset id "erp-db" is used more than once/);
    t.match(stdout, /4 errors$/m);
  },
);

t.test('inventory lists every copy with its checksum or "unverified"', async (t) => {
  const { configFile } = estate(t);
  const { code, stdout } = await runCli(['inventory', '-c', configFile, '--format', 'json']);
  t.equal(code, 0);
  const copies = JSON.parse(stdout) as Array<{ dataset: string; sha256?: string; location: string }>;
  t.ok(copies.length >= 13, `${copies.length} copies`);
  t.ok(copies.filter((c) => c.location === 'local').every((c) => /^[0-9a-f]{64}$/.test(c.sha256 ?? '')));
  const text = await runCli(['inventory', '-c', configFile]);
  t.match(text.stdout, /unverified/, 'the wiki tape has no checksum');
});

t.test('the demo runs and exits 0 while showing what verify would say', async (t) => {
  const { code, stdout, stderr } = await runCli(['demo']);
  t.equal(code, 0);
  t.match(stdout, /erp-db/);
  t.match(stderr, /would exit 2/);
});

t.test('help, version and unknown commands', async (t) => {
  t.equal((await runCli(['--help'])).code, 0);
  t.match((await runCli(['--version'])).stdout, /^\d+\.\d+\.\d+/);
  t.equal((await runCli(['frobnicate'])).code, 3);
  t.equal((await runCli(['agent'])).code, 3);
  t.equal((await runCli(['verify', '--help'])).code, 0);
});

t.test('a report of megabytes reaches a pipe and a file whole (written in batches)', async (t) => {
  const root = t.testdir({ state: {} });
  const files: Record<string, string> = {};
  for (let i = 0; i < 5000; i++) files[`n${i}.dump`] = String(i);
  const tree = join(root, 'tree');
  mkdirSync(tree);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(tree, name), content);
  const configFile = join(root, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      agent: { id: 'big', stateDir: join(root, 'state') },
      policy: { minCopies: 1, minMedia: 1, minOffline: 0 },
      locations: [{ id: 'local', type: 'disk', path: tree, throughput: '300MB/s' }],
      datasets: [{ id: 'all', copies: { local: '*.dump' } }],
    }),
  );
  const piped = await runCli(['verify', '-c', configFile, '-f', 'json']);
  t.equal(piped.code, 2, 'no restore drill: non-compliant');
  t.ok(piped.stdout.length > 4 << 20, `${piped.stdout.length} characters through the pipe`);
  t.ok(piped.stdout.endsWith('}\n'), 'one newline at the end, as before');
  const report = JSON.parse(piped.stdout) as Report;
  t.equal(report.datasets[0]?.copies.length, 5000);
  const out = join(root, 'report.json');
  await runCli(['verify', '-c', configFile, '-f', 'json', '-o', out]);
  t.equal((JSON.parse(readFileSync(out, 'utf8')) as Report).datasets[0]?.copies.length, 5000);
  const text = await runCli(['verify', '-c', configFile]);
  t.equal(text.stdout.match(/ n\d+\.dump /g)?.length, 5000, 'the text report lists every copy');
  t.ok(text.stdout.endsWith('\n') && !text.stdout.endsWith('\n\n'), 'and ends with one newline');
});
