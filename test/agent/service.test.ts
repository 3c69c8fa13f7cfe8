// The systemd unit and the install scripts, checked as an operator would: systemd-analyze accepts the
// unit, and an install into a temp root gives the user, files and modes docs/operations.md promises;
// a second install (an upgrade) keeps the config and token; uninstall keeps them, --purge does not.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const scripts = fileURLToPath(new URL('../../scripts/', import.meta.url));
const UNIT = join(scripts, 'backup321.service');

function run(command: string, args: string[], input?: string) {
  const result = spawnSync(command, args, { input, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw result.error;
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/** systemd-analyze verify on a copy of the unit whose ExecStart is a binary that exists here. */
function verifyUnit(dir: string, text: string) {
  mkdirSync(dir, { recursive: true });
  const copy = join(dir, 'backup321.service');
  writeFileSync(copy, text.replace(/^ExecStart=\S+/m, 'ExecStart=/usr/bin/node'));
  return run('systemd-analyze', ['verify', copy]);
}

t.test('the shell scripts parse', async (t) => {
  for (const script of ['install-service.sh', 'uninstall-service.sh']) {
    const check = run('bash', ['-n', join(scripts, script)]);
    t.equal(check.code, 0, `${script}: ${check.output}`);
    t.ok(statSync(join(scripts, script)).mode & 0o100, `${script} is executable`);
  }
});

t.test('systemd-analyze verify accepts the unit, and would say so of a wrong line', async (t) => {
  const unit = readFileSync(UNIT, 'utf8');
  const good = verifyUnit(join(t.testdir(), 'good'), unit);
  t.same(good, { code: 0, output: '' });
  const bad = verifyUnit(join(t.testdir(), 'bad'), unit.replace('ProtectSystem=strict', 'ProtectSystem=stritc'));
  t.match(bad.output, /protect system value/i, 'a typo is reported');
});

t.test(
  'the unit: notify with a watchdog, hardened, the token as a credential, no MemoryDenyWriteExecute',
  async (t) => {
    const unit = readFileSync(UNIT, 'utf8');
    const setting = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(unit)?.[1];
    t.equal(setting('Type'), 'notify');
    t.equal(setting('NotifyAccess'), 'all', 'the relay child sends the messages');
    t.match(setting('WatchdogSec'), /^\d+/);
    t.equal(setting('Restart'), 'on-failure');
    t.equal(setting('ProtectSystem'), 'strict');
    t.equal(setting('StateDirectory'), 'backup321');
    t.equal(setting('NoNewPrivileges'), 'yes');
    t.equal(setting('PrivateTmp'), 'yes');
    t.equal(setting('PrivateDevices'), 'no');
    t.equal(setting('CapabilityBoundingSet'), 'CAP_DAC_READ_SEARCH');
    t.equal(setting('RestrictAddressFamilies'), 'AF_UNIX AF_INET AF_INET6');
    t.equal(setting('SystemCallFilter'), '@system-service');
    t.equal(setting('LoadCredential'), 'token:/etc/backup321/token');
    t.match(setting('ReadOnlyPaths'), /\/backup/);
    t.equal(setting('MemoryDenyWriteExecute'), undefined, "it would stop V8's JIT");
    t.match(
      setting('ExecStart'),
      /^\/usr\/local\/bin\/backup321 agent --config \/etc\/backup321\/agent\.config\.json$/,
    );
  },
);

/** A temp root with this machine's account files, so useradd --prefix has something to add to. */
function tempRoot(dir: string): string {
  mkdirSync(join(dir, 'etc'));
  for (const file of ['passwd', 'group', 'shadow', 'gshadow']) {
    if (existsSync(`/etc/${file}`)) copyFileSync(`/etc/${file}`, join(dir, 'etc', file));
  }
  return dir;
}

const mode = (path: string) => statSync(path).mode & 0o777;
const owner = (path: string) => `${statSync(path).uid}:${statSync(path).gid}`;
const account = (root: string, name: string) =>
  readFileSync(join(root, 'etc/passwd'), 'utf8')
    .split('\n')
    .find((line) => line.startsWith(`${name}:`))
    ?.split(':');

t.test('install, upgrade, uninstall and purge in a temp root', async (t) => {
  t.equal(process.getuid?.(), 0, 'the install scripts run as root (as CI does)');
  const root = tempRoot(t.testdir());
  const hostPasswd = readFileSync('/etc/passwd', 'utf8');
  const install = (...args: string[]) =>
    run(join(scripts, 'install-service.sh'), ['--root', root, '--bin', '/usr/bin/node', ...args], 'collector-token\n');

  const first = install('--token-stdin');
  t.equal(first.code, 0, first.output);
  t.notMatch(first.output, /collector-token/, 'the token is never echoed');
  const user = account(root, 'backup321');
  t.ok(user, 'the service user is in the root’s passwd');
  const [, , uid, gid, , home, shell] = user as string[];
  t.equal(shell, '/usr/sbin/nologin');
  t.equal(home, '/var/lib/backup321');
  t.equal(readFileSync('/etc/passwd', 'utf8'), hostPasswd, "the host's passwd is untouched");

  const at = (path: string) => join(root, path);
  t.equal(mode(at('etc/backup321')), 0o750);
  t.equal(owner(at('etc/backup321')), `0:${gid}`);
  t.equal(mode(at('etc/backup321/agent.config.json')), 0o640, 'config 0640');
  t.equal(owner(at('etc/backup321/agent.config.json')), `0:${gid}`, 'config root:backup321');
  t.equal(mode(at('etc/backup321/token')), 0o600, 'token 0600');
  t.equal(owner(at('etc/backup321/token')), '0:0', 'token root:root');
  t.equal(readFileSync(at('etc/backup321/token'), 'utf8'), 'collector-token\n');
  t.equal(mode(at('var/lib/backup321')), 0o700, 'state dir 0700');
  t.equal(owner(at('var/lib/backup321')), `${uid}:${gid}`, 'state dir owned by the service user');
  const unit = at('etc/systemd/system/backup321.service');
  t.equal(mode(unit), 0o644);
  t.match(readFileSync(unit, 'utf8'), /^ExecStart=\/usr\/bin\/node agent --config /m, "this machine's command");
  t.ok(lstatSync(at('etc/systemd/system/multi-user.target.wants/backup321.service')).isSymbolicLink(), 'enabled');
  const installed = verifyUnit(at('verify'), readFileSync(unit, 'utf8'));
  t.same(installed, { code: 0, output: '' }, 'systemd-analyze accepts the installed unit');

  // An upgrade: the operator's config and token stay; modes loosened by hand are put back.
  writeFileSync(at('etc/backup321/agent.config.json'), '{"edited":true}\n');
  chmodSync(at('etc/backup321/agent.config.json'), 0o644);
  chmodSync(at('etc/backup321/token'), 0o644);
  const second = install();
  t.equal(second.code, 0, second.output);
  t.equal(readFileSync(at('etc/backup321/agent.config.json'), 'utf8'), '{"edited":true}\n', 'config kept');
  t.equal(readFileSync(at('etc/backup321/token'), 'utf8'), 'collector-token\n', 'token kept');
  t.equal(mode(at('etc/backup321/agent.config.json')), 0o640);
  t.equal(mode(at('etc/backup321/token')), 0o600);
  t.same(account(root, 'backup321'), user, 'the same user');

  const uninstall = run(join(scripts, 'uninstall-service.sh'), ['--root', root]);
  t.equal(uninstall.code, 0, uninstall.output);
  t.notOk(existsSync(unit), 'the unit is gone');
  t.notOk(existsSync(at('etc/systemd/system/multi-user.target.wants/backup321.service')), 'and disabled');
  t.ok(existsSync(at('etc/backup321/agent.config.json')), 'the config is kept');
  t.ok(existsSync(at('var/lib/backup321')), 'the state dir is kept (instance id, reports not sent)');
  t.ok(account(root, 'backup321'), 'the user is kept');

  const purge = run(join(scripts, 'uninstall-service.sh'), ['--root', root, '--purge']);
  t.equal(purge.code, 0, purge.output);
  t.notOk(existsSync(at('etc/backup321')));
  t.notOk(existsSync(at('var/lib/backup321')));
  t.notOk(account(root, 'backup321'), 'the user is gone');
  t.notMatch(readFileSync(at('etc/group'), 'utf8'), /^backup321:/m, 'and its group');
});

t.test('the install script refuses what it cannot do', async (t) => {
  const root = tempRoot(t.testdir());
  const relative = run(join(scripts, 'install-service.sh'), ['--root', root, '--bin', 'backup321']);
  t.equal(relative.code, 2);
  t.match(relative.output, /absolute path/);
  const unknown = run(join(scripts, 'install-service.sh'), ['--frobnicate']);
  t.equal(unknown.code, 2);
  t.notOk(account(root, 'backup321'), 'nothing was installed');
});
