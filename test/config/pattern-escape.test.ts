// A disk pattern with a ".." segment is refused by the config check, naming its JSON path; `config
// check` and `verify` then exit 3 (could not run).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { configFromDocument } from '../../src/config/load.js';
import { hasParentSegment } from '../../src/config/pattern-escape.js';
import { runCli } from '../helpers/cli.js';

const document = (root: string) => ({
  agent: { id: 'erp-01', stateDir: join(root, 'state') },
  locations: [
    { id: 'local', type: 'disk', path: root },
    { id: 'cloud', type: 's3', bucket: 'b' },
  ],
  datasets: [
    { id: 'erp-db', copies: { local: '../../tmp/x', cloud: 'a/../b' } },
    { id: 'mail', copies: { local: ['mail/*', 'mail/../../etc/*'] }, primary: { location: 'local', pattern: '..' } },
  ],
});

t.test('which patterns have a ".." segment', async (t) => {
  for (const pattern of ['..', '../x', 'a/..', 'a/../b', '/../x', 'a/../../etc'])
    t.ok(hasParentSegment(pattern), pattern);
  for (const pattern of ['a..b', '..x/y', 'x/..y', '.../a', '*.dump', '**/..*', 'a/./b'])
    t.notOk(hasParentSegment(pattern), pattern);
});

t.test('the config check names every disk pattern with "..", by its JSON path', async (t) => {
  const { config, problems } = configFromDocument(document(t.testdir()), '/etc/b/agent.json', {});
  t.notOk(config, 'no config to run with');
  const escaping = problems.filter((problem) => /climbs out of its location/.test(problem.message));
  t.same(
    escaping.map((problem) => problem.path),
    ['datasets[0].copies.local', 'datasets[1].copies.local[1]', 'datasets[1].primary.pattern'],
    'the S3 prefix is no path on this machine: not refused',
  );
  t.match(escaping[0], {
    severity: 'error',
    message: 'pattern "../../tmp/x" climbs out of its location with ".."',
    hint: /without "\.\."/,
  });
});

t.test('config check and verify exit 3 on such a pattern', async (t) => {
  const root = t.testdir({ 'agent.json': '' });
  const configFile = join(root, 'agent.json');
  const doc = document(root);
  doc.locations = doc.locations.slice(0, 1);
  doc.datasets = [{ id: 'erp-db', copies: { local: '../../tmp/x' } }] as typeof doc.datasets;
  writeFileSync(configFile, JSON.stringify(doc));
  const check = await runCli(['config', 'check', '-c', configFile]);
  t.equal(check.code, 3);
  t.match(check.stdout, /error: datasets\[0\]\.copies\.local: pattern "\.\.\/\.\.\/tmp\/x" climbs out of its location/);
  const verify = await runCli(['verify', '-c', configFile]);
  t.equal(verify.code, 3);
  t.match(verify.stderr, /datasets\[0\]\.copies\.local: pattern "\.\.\/\.\.\/tmp\/x" climbs out/);
});
