// `backup321 config check` (and `verify` on the same files): what a new user meets on first use.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { scratchDir } from '../host/root-fixtures.js';
import { runCli } from '../helpers/cli.js';

type Entry = Record<string, unknown>;
interface Config {
  agent: { id: string; stateDir: string };
  locations: Entry[];
  datasets: Entry[];
  policy?: Entry;
  report?: Entry;
}

const first = (entries: Entry[]): Entry => entries[0] as Entry;
const PLACEHOLDER = ['$', '{B321_SURELY_UNSET}'].join('');

/** A valid config over a real, empty backup directory; `change` edits it before it is written. */
function configFile(t: Test, change: (config: Config) => void = () => {}, text?: string): string {
  const dir = t.testdir({ backup: {}, state: {} });
  const config: Config = {
    agent: { id: 'first-use', stateDir: join(dir, 'state') },
    locations: [{ id: 'local', type: 'disk', path: join(dir, 'backup') }],
    datasets: [{ id: 'erp-db', copies: { local: 'erp/*.dump' } }],
  };
  change(config);
  const file = join(dir, 'agent.json');
  writeFileSync(file, text ?? JSON.stringify(config, null, 2));
  return file;
}

t.test('a comma too many: line, column and JSON path, exit 3, from config check and verify alike', async (t) => {
  const file = configFile(t, undefined, '{\n  "agent": { "id": "a", },\n  "locations": []\n}\n');
  const check = await runCli(['config', 'check', '-c', file]);
  t.equal(check.code, 3);
  t.match(check.stdout, /^error: agent: not valid JSON at line 2, column 23: a comma before "}" — remove it/m);
  const verify = await runCli(['verify', '-c', file]);
  t.equal(verify.code, 3);
  t.match(verify.stderr, /agent: not valid JSON at line 2, column 23/);
});

t.test('a file cut short names where it ends and what is left open', async (t) => {
  const file = configFile(t, undefined, '{\n  "agent": { "id": "a" },\n  "locations": [\n    { "id": "l"');
  const { code, stdout } = await runCli(['config', 'check', '-c', file]);
  t.equal(code, 3);
  t.match(
    stdout,
    /error: locations\[0\]: not valid JSON at line 4, column 16: the file ends inside the object opened at line 4, column 5/,
  );
});

t.test('an unset environment variable in a disk path is one problem, not also a missing directory', async (t) => {
  const file = configFile(t, (config) => {
    first(config.locations).path = `/srv/${PLACEHOLDER}/backup`;
  });
  const { code, stdout } = await runCli(['config', 'check', '-c', file]);
  t.equal(code, 3);
  const lines = stdout.split('\n').filter((line) => line.includes('locations[0].path'));
  t.match(lines, [/environment variable B321_SURELY_UNSET is not set/]);
  t.equal(lines.length, 1, 'reported once');
  t.notMatch(stdout, /directory does not exist/);
});

t.test('a bare number is seconds for a duration and bytes for a size; a rate needs its unit', async (t) => {
  const numbers = configFile(t, (config) => {
    config.policy = { rpo: 86400, rto: 3600, clockSkew: 0 };
  });
  const valid = await runCli(['config', 'check', '-c', numbers]);
  t.equal(valid.code, 0, valid.stdout);
  t.match(valid.stdout, /: valid$/m);
  const rate = configFile(t, (config) => {
    first(config.locations).throughput = 300;
    config.policy = { rpo: true };
  });
  const refused = await runCli(['config', 'check', '-c', rate]);
  t.equal(refused.code, 3);
  t.match(
    refused.stdout,
    /error: locations\[0\]\.throughput: must be a rate — found number 300; write a rate such as "300MB\/s"/,
  );
  t.match(refused.stdout, /error: policy\.rpo: must be a duration — found boolean true; .* or a number of seconds/);
});

t.test('the message a dataset without copies got from Ajv is now ours', async (t) => {
  const file = configFile(t, (config) => {
    first(config.datasets).copies = {};
  });
  const { code, stdout } = await runCli(['config', 'check', '-c', file]);
  t.equal(code, 3);
  t.match(stdout, /error: datasets\[0\]\.copies: must have at least 1 entry — .*\{"local": "erp\/\*\.dump"\}/);
  t.notMatch(stdout, /must NOT have/);
});

t.test('credentials in a URL, anywhere in the config: an error naming the key, the secret never shown', async (t) => {
  const secrets = ['AKIAEXAMPLEKEY', 's3cr3tPassw0rd', 'tok-123456', 'sig0123abcd', 'AKIAINQUERY'];
  const file = configFile(t, (config) => {
    config.locations.push({
      id: 'cloud',
      type: 's3',
      bucket: 'corp-backup',
      endpoint: `http://${secrets[0]}:${secrets[1]}@127.0.0.1:9000`,
    });
    config.report = {
      endpoint: `https://collector.example/api/v1/reports?token=${secrets[2]}`,
    };
    first(config.datasets).description =
      `restore guide: https://wiki.example/x?X-Amz-Signature=${secrets[3]}&access_key=${secrets[4]}`;
  });
  const { code, stdout } = await runCli(['config', 'check', '-c', file]);
  t.equal(code, 3);
  t.match(
    stdout,
    /error: locations\[1\]\.endpoint: a credential in a URL: a user name and password before "@" — .*credentialsFile/,
  );
  t.match(stdout, /error: report\.endpoint: a credential in a URL: the query parameter "token" — .*report\.tokenFile/);
  t.match(
    stdout,
    /error: datasets\[0\]\.description: a credential in a URL: the query parameter "X-Amz-Signature", the query parameter "access_key"/,
  );
  for (const secret of secrets) t.notMatch(stdout, secret, 'the secret itself is not shown');
  const verify = await runCli(['verify', '-c', file]);
  t.equal(verify.code, 3, 'verify refuses the config too');
  for (const secret of secrets) t.notMatch(verify.stderr, secret);
});

t.test('a state directory under a file cannot be created: an error naming agent.stateDir', async (t) => {
  const file = configFile(t, (config) => {
    const blocker = join(config.agent.stateDir, 'a-file');
    writeFileSync(blocker, '');
    config.agent.stateDir = join(blocker, 'state');
  });
  const { code, stdout } = await runCli(['config', 'check', '-c', file]);
  t.equal(code, 3);
  t.match(stdout, /error: agent\.stateDir: .*a-file\/state cannot be created: .*a-file is not a directory/);
});

t.test('a read-only state directory: config check says so instead of "valid"', async (t) => {
  const dir = scratchDir(t, 'b321-state-');
  const state = join(dir, 'state');
  mkdirSync(state);
  if (process.getuid?.() === 0) {
    // Root writes through any mode: only a read-only file system stops it.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', state]);
    t.teardown(() => execFileSync('umount', [state]));
  } else {
    chmodSync(state, 0o555);
  }
  for (const stateDir of [state, join(state, 'below')]) {
    const file = configFile(t, (config) => {
      config.agent.stateDir = stateDir;
    });
    const { code, stdout } = await runCli(['config', 'check', '-c', file]);
    t.equal(code, 3, stateDir);
    t.match(
      stdout,
      /error: agent\.stateDir: .* (is not writable|cannot be created: .* is not writable) \((a read-only file system|permission denied)\)/,
    );
    t.notMatch(stdout, /: valid/);
  }
});

t.test('verify -o into a missing directory names the path given, not a temp file', async (t) => {
  const file = configFile(t);
  const missing = join(t.testdir(), 'missing', 'x.json');
  const { code, stderr, stdout } = await runCli(['verify', '-c', file, '-o', missing]);
  t.equal(code, 3);
  t.match(stderr, `backup321 verify: cannot write ${missing}: the directory ${join(missing, '..')} does not exist`);
  t.notMatch(stderr, /\.tmp/);
  t.equal(stdout, '', 'stopped before the run');
});
