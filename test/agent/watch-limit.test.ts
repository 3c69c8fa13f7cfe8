// The watcher at the system's inotify limits, reached for real: the child runs in a user namespace of its
// own (unshare -U), whose limits in /proc/sys/user/ root there may lower without touching the machine's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';

const LOADER = new URL('../../node_modules/@tapjs/typescript/dist/esm/import.mjs', import.meta.url).href;
const CHILD = fileURLToPath(new URL('./watch-limit-child.ts', import.meta.url));

function watchUnderLimit(t: Test, limit: string, value: number) {
  const root = mkdtempSync(join(tmpdir(), 'b321-limit-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  for (let i = 0; i < 40; i++) mkdirSync(join(root, `d${i}`));
  // Without tap's coverage hooks: the child need not write into .tap.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS' && !key.startsWith('_TAPJS')),
  );
  const script = `echo ${value} > /proc/sys/user/${limit} && exec "$@"`;
  const run = spawnSync(
    'unshare',
    ['-U', '-r', 'sh', '-c', script, 'sh', process.execPath, '--import', LOADER, CHILD, root],
    { env: { ...env, TS_NODE_TRANSPILE_ONLY: '1' }, encoding: 'utf8', timeout: 120_000 },
  );
  t.equal(run.status, 0, run.stderr);
  const lines = run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  return { lines, last: lines.at(-1) as { degraded: boolean; settled: number } };
}

t.test('41 directories against a limit of 20 watches: ENOSPC, one warning, the schedule alone', async (t) => {
  const { lines, last } = watchUnderLimit(t, 'max_inotify_watches', 20);
  const warnings = lines.filter((line) => line.level === 40);
  t.equal(warnings.length, 1, 'one warning, however many directories were left');
  t.equal(warnings[0]?.code, 'ENOSPC');
  t.match(warnings[0]?.msg, /falls back to its schedule/);
  t.same(last, { degraded: true, settled: 0 }, 'degraded, and no change reported after giving up');
});

t.test('no inotify instance left (max_user_instances): EMFILE, one warning, the schedule alone', async (t) => {
  const { lines, last } = watchUnderLimit(t, 'max_inotify_instances', 0);
  const warnings = lines.filter((line) => line.level === 40);
  t.equal(warnings.length, 1);
  t.equal(warnings[0]?.code, 'EMFILE');
  t.same(last, { degraded: true, settled: 0 });
});

t.test('the same tree within the limits is watched', async (t) => {
  const { lines, last } = watchUnderLimit(t, 'max_inotify_watches', 1000);
  t.same(
    lines.filter((line) => line.level === 40),
    [],
  );
  t.same(last, { degraded: false, settled: 1 });
});
