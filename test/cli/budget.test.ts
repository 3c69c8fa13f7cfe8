// `verify --deep --budget SIZE` and `deep.budget` through the built binary: the flag needs --deep, wins
// over the config ("all" reads everything), and the report says what the run read again.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { Report } from '../../src/model.js';
import { settleTree } from '../helpers/settled.js';
import { runCli } from '../helpers/cli.js';

/** A small estate on disk and its config; `deep` is the config's deep section, if any. */
function estate(t: Test, deep?: unknown): string {
  const root = t.testdir({
    state: {},
    local: { erp: { 'a.dump': 'first dump\n', 'b.dump': 'second dump\n' } },
  });
  settleTree(join(root, 'local'));
  const configFile = join(root, 'agent.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      agent: { id: 'budget', stateDir: join(root, 'state') },
      policy: { minCopies: 1, minMedia: 1, minOffline: 0, drillMaxAge: '0', rpo: '3650d' },
      locations: [{ id: 'local', type: 'disk', path: join(root, 'local'), throughput: '100MB/s' }],
      datasets: [{ id: 'erp', copies: { local: 'erp/*.dump' } }],
      ...(deep === undefined ? {} : { deep }),
    }),
  );
  return configFile;
}

const reportOf = async (args: string[]): Promise<Report> => {
  const { code, stdout, stderr } = await runCli([...args, '--format', 'json']);
  if (code !== 0) throw new Error(`exit ${code}: ${stderr}`);
  return JSON.parse(stdout) as Report;
};

t.test('--budget without --deep, or with no size, is a usage error: exit 3', async (t) => {
  const configFile = estate(t);
  for (const command of ['verify', 'inventory']) {
    const alone = await runCli([command, '-c', configFile, '--budget', '1TB']);
    t.equal(alone.code, 3, `${command} --budget without --deep`);
    t.match(alone.stderr, /--budget bounds what a deep verify reads again: use it with --deep/);
    t.equal(alone.stdout, '', 'no report');
  }
  const vi = await runCli(['verify', '-c', configFile, '--budget', '1TB', '--lang', 'vi']);
  t.equal(vi.code, 3);
  t.match(vi.stderr, /--budget giới hạn lượng dữ liệu một lần xác minh sâu đọc lại: hãy dùng cùng --deep/);
  const notSize = await runCli(['verify', '-c', configFile, '--deep', '--budget', 'lots']);
  t.equal(notSize.code, 3);
  t.match(notSize.stderr, /--budget must be a size such as 500GB, 2TiB or a number of bytes \(got "lots"\)/);
  const zero = await runCli(['verify', '-c', configFile, '--deep', '--budget', '0']);
  t.equal(zero.code, 3);
  t.match(zero.stderr, /--budget 0 would never read anything again/);
  const missing = await runCli(['verify', '-c', configFile, '--deep', '--budget']);
  t.equal(missing.code, 3, 'a --budget with no value');
});

t.test('a bad deep.budget is a config error naming its path: exit 3', async (t) => {
  const bad = await runCli(['verify', '-c', estate(t, { budget: 'lots' }), '--deep']);
  t.equal(bad.code, 3);
  t.match(bad.stderr, /deep\.budget: "lots" is not valid here — write a size/);
  const zero = await runCli(['config', 'check', '-c', estate(t, { budget: 0 }), '--lang', 'vi']);
  t.equal(zero.code, 3);
  t.match(zero.stdout, /deep\.budget: hạn mức 0 thì sẽ không bao giờ đọc lại gì/);
});

t.test('deep.budget bounds a deep verify; --budget overrides it; "all" reads everything', async (t) => {
  const configFile = estate(t, { budget: '1kB' });
  const quick = await reportOf(['verify', '-c', configFile]);
  t.equal(quick.run.scrub, undefined, 'a quick run re-reads nothing: no budget applies');
  const fromConfig = await reportOf(['verify', '-c', configFile, '--deep']);
  t.match(fromConfig.run, { deep: true, scrub: { budgetBytes: 1000, copiesTotal: 2, copiesNotReadRecently: 0 } });
  t.ok((fromConfig.run.scrub?.readBytes ?? 0) <= 1000, 'within the budget');
  const fromFlag = await reportOf(['verify', '-c', configFile, '--deep', '--budget', '2KiB']);
  t.equal(fromFlag.run.scrub?.budgetBytes, 2048, 'the flag wins');
  t.equal(fromFlag.run.scrub?.copiesRead, 2, 'both copies fit, read again');
  const all = await reportOf(['verify', '-c', configFile, '--deep', '--budget', 'all']);
  t.match(all.run, { deep: true });
  t.equal(all.run.scrub, undefined, 'everything read, as --deep without a budget');
  const inventory = await runCli(['inventory', '-c', configFile, '--deep', '--budget', '1B']);
  t.equal(inventory.code, 0, 'inventory takes it too');
});

t.test('the report says what the run read again, in English and Vietnamese', async (t) => {
  const configFile = estate(t);
  // A first run hashes both files; the runs with a budget then read them again.
  t.equal((await runCli(['verify', '-c', configFile])).code, 0);
  const text = await runCli(['verify', '-c', configFile, '--deep', '--budget', '1MB']);
  t.equal(text.code, 0);
  t.match(
    text.stdout,
    /deep verify within a budget of 1\.0 MB: 23 B read again \(2 of 2 copies\); 0 copies not read within verifyMaxAge; a full pass over 23 B takes about 1 run/,
  );
  const vi = await runCli(['verify', '-c', configFile, '--deep', '--budget', '1MB', '--lang', 'vi']);
  t.match(
    vi.stdout,
    /xác minh sâu theo hạn mức 1\.0 MB: đã đọc lại 23 B \(2 trên 2 bản sao\); 0 bản sao chưa được đọc lại trong verifyMaxAge; đọc hết một lượt 23 B mất khoảng 1 lần chạy/,
  );
  const markdown = await runCli(['verify', '-c', configFile, '--deep', '--budget', '1MB', '-f', 'markdown']);
  t.match(markdown.stdout, /^- deep verify within a budget of 1\.0 MB/m);
  const html = await runCli(['verify', '-c', configFile, '--deep', '--budget', '1MB', '-f', 'html']);
  t.match(html.stdout, /<p>deep verify within a budget of 1\.0 MB/);
  const summary = JSON.parse(
    (await runCli(['verify', '-c', configFile, '--deep', '--budget', '1MB', '-f', 'summary'])).stdout,
  );
  t.match(summary.run.scrub, { budgetBytes: 1_000_000, copiesTotal: 2 }, 'the summary the agent sends has it too');
});
