// The agent stays inside what it is given. With `followSymlinks: false`, a link in a location to a file
// or a directory outside it is never opened (the outside file's atime stays put: relatime would move it
// on any read); a pattern with ".." is refused before anything is read; an absolute pattern is read
// inside the location. And a run writes nothing outside its state dir: the estate around it, the
// working directory and TMPDIR are the same file for file afterwards (snapshotTree), and no new entry
// appears. Adjacent ground: test/sources/disk/** (symlink loops, links not followed, ".." in the walk),
// test/verify/symlinked-copy.test.ts, test/config/** (the ".." refusal).
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import t from 'tap';
import { startCollector } from '../agent/collector.js';
import { agentEstate, startAgent, TOKEN } from '../agent/harness.js';
import { runCli, snapshotTree } from '../helpers/cli.js';

const DAY = 24 * 3600_000;

/** Every entry (files, directories, links) under `dir`, relative to it. */
function entries(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = join(at, entry.name);
      out.push(relative(dir, full));
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out.sort();
}

/** An outside file whose atime is older than its mtime: any read moves its atime (relatime, strictatime). */
function armAtime(path: string): number {
  const now = Date.now();
  utimesSync(path, new Date(now - 2 * DAY), new Date(now - DAY));
  return statSync(path).atimeMs;
}

/** Why reads cannot be seen through atime on this filesystem (a noatime mount), or undefined. */
function atimeBlind(dir: string): string | undefined {
  const probe = join(dir, 'atime-probe');
  writeFileSync(probe, 'probe');
  const before = armAtime(probe);
  readFileSync(probe);
  return statSync(probe).atimeMs === before ? `a read does not move atime under ${dir} (noatime?)` : undefined;
}

// Asked where tap makes the tests' folders (.tap/fixtures): the same file system as theirs.
const BLIND = (() => {
  mkdirSync('.tap', { recursive: true });
  const dir = mkdtempSync(join('.tap', 'atime-probe-'));
  try {
    return atimeBlind(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();
if (BLIND) t.comment(`the atime probes are skipped: ${BLIND}`);

interface Estate {
  root: string;
  configFile: string;
  stateDir: string;
  outsideFile: string;
}

/** The demo estate, an `outside` folder beside its locations, and links from the local location into it. */
function estateWithLinksOut(root: string, followSymlinks: boolean | undefined, endpoint?: string): Estate {
  const estate = agentEstate(root, endpoint ?? 'http://127.0.0.1:9/unused');
  const outside = join(root, 'outside');
  mkdirSync(join(outside, 'dumps'), { recursive: true });
  const outsideFile = join(outside, 'dumps', 'payroll.dump');
  writeFileSync(outsideFile, 'not a backup of this estate');
  symlinkSync(outsideFile, join(root, 'local', 'erp', 'erp-db-elsewhere.dump'));
  symlinkSync(join(outside, 'dumps'), join(root, 'local', 'linked'));
  const locations = (estate.config.locations as Array<Record<string, unknown>>).map((location) =>
    location.id === 'local' && followSymlinks !== undefined ? { ...location, followSymlinks } : location,
  );
  estate.rewrite({
    locations,
    datasets: [...(estate.config.datasets as unknown[]), { id: 'payroll', copies: { local: 'linked/*.dump' } }],
    // Without a receiver nothing is sent: the run alone is under test.
    report: endpoint ? estate.config.report : undefined,
  });
  return { root, configFile: estate.configFile, stateDir: estate.stateDir, outsideFile };
}

t.test(
  'followSymlinks: false — links out of the location are not opened, and said so',
  { skip: BLIND ?? false },
  async (t) => {
    const root = t.testdir({});
    const collector = await startCollector({ token: TOKEN });
    t.teardown(() => collector.close());
    const estate = estateWithLinksOut(root, false, collector.url);
    const atime = armAtime(estate.outsideFile);
    const agent = startAgent(['-c', estate.configFile, '--once']);
    const { code } = await agent.exited;
    t.equal(code, 0, `the run is made (stderr: ${agent.stderr().slice(0, 300)})`);
    t.equal(statSync(estate.outsideFile).atimeMs, atime, 'the file outside was never read');
    const report = JSON.parse([...collector.stored.values()][0] as string) as {
      datasets: Array<{ id: string; verdict: string; counts: { copies: number } }>;
      sources: Array<{ id: string; issues: Array<{ code: string; params: Record<string, unknown> }> }>;
    };
    const notFollowed = report.sources
      .find((s) => s.id === 'local')
      ?.issues.filter((i) => i.code === 'B321_SYMLINK_NOT_FOLLOWED');
    t.ok(notFollowed?.length, `the link not followed is said (${JSON.stringify(notFollowed?.map((i) => i.params))})`);
    t.equal(report.datasets.find((d) => d.id === 'payroll')?.counts.copies, 0, 'the linked directory gives no copy');
    t.comment(`figure: outside file reads 0 (atime ${new Date(atime).toISOString()} unchanged)`);
  },
);

t.test(
  'the default (followSymlinks: true) is the setting that follows a link out: the probe sees that read',
  { skip: BLIND ?? false },
  async (t) => {
    const root = t.testdir({});
    const collector = await startCollector({ token: TOKEN });
    t.teardown(() => collector.close());
    const estate = estateWithLinksOut(root, undefined, collector.url);
    const atime = armAtime(estate.outsideFile);
    const agent = startAgent(['-c', estate.configFile, '--once']);
    t.equal((await agent.exited).code, 0, 'the run is made');
    t.not(statSync(estate.outsideFile).atimeMs, atime, 'read through the link: the atime probe would see a read');
    const report = JSON.parse([...collector.stored.values()][0] as string) as {
      sources: Array<{ id: string; issues: Array<{ code: string }> }>;
    };
    const codes = report.sources.find((s) => s.id === 'local')?.issues.map((i) => i.code) ?? [];
    t.comment(`with the default, the local location says: ${codes.length ? codes.join(', ') : 'nothing'}`);
  },
);

t.test('a pattern with ".." is refused before anything is read or written', { skip: BLIND ?? false }, async (t) => {
  const root = t.testdir({});
  const estate = agentEstate(root, 'http://127.0.0.1:9/unused');
  const target = join(root, 'nas', 'erp', 'erp-db-latest.dump');
  const atime = armAtime(target);
  estate.rewrite({
    datasets: [...(estate.config.datasets as unknown[]), { id: 'escape', copies: { local: '../nas/erp/*.dump' } }],
  });
  const agent = startAgent(['-c', estate.configFile, '--once']);
  const { code } = await agent.exited;
  t.equal(code, 3, 'the config is refused (exit 3)');
  t.match(agent.stderr() + JSON.stringify(agent.lines), /climbs out of its location/, 'naming the pattern');
  t.equal(statSync(target).atimeMs, atime, 'the file the pattern aimed at was not read');
  t.notOk(readdirSync(root).includes('state'), 'no state dir was made');
});

t.test('an absolute pattern is read inside the location, not at the root of the machine', async (t) => {
  const root = t.testdir({});
  const estate = agentEstate(root, 'http://127.0.0.1:9/unused');
  const target = join(root, 'nas', 'erp');
  estate.rewrite({
    datasets: [...(estate.config.datasets as unknown[]), { id: 'absolute', copies: { local: `${target}/*.dump` } }],
    report: undefined,
  });
  const result = await runCli(['verify', '-c', estate.configFile, '--dataset', 'absolute', '--format', 'json']);
  const report = JSON.parse(result.stdout) as {
    datasets: Array<{ id: string; copies?: unknown[] }>;
    sources: Array<{ id: string; issues: Array<{ code: string }> }>;
  };
  t.same(report.datasets.find((d) => d.id === 'absolute')?.copies ?? [], [], 'no copy found outside');
  t.ok(
    report.sources.find((s) => s.id === 'local')?.issues.some((i) => i.code === 'B321_NO_MATCH'),
    'the pattern matches nothing inside the location',
  );
});

t.test('a run writes nothing outside its state dir', async (t) => {
  const root = t.testdir({ cwd: {}, tmp: {} });
  const estate = estateWithLinksOut(root, undefined);
  const before = snapshotTree(root);
  const entriesBefore = entries(root);
  const result = await runCli(['agent', '-c', estate.configFile, '--once'], {
    cwd: join(root, 'cwd'),
    env: { TMPDIR: join(root, 'tmp'), HOME: join(root, 'cwd') },
  });
  t.equal(result.code, 0, `the run is made (${result.stderr.slice(0, 300)})`);
  const inState = (path: string) => path === estate.stateDir || path.startsWith(`${estate.stateDir}/`);
  const after = snapshotTree(root);
  const changed = Object.keys({ ...before, ...after }).filter((path) => before[path] !== after[path]);
  t.same(
    changed.filter((path) => !inState(path)),
    [],
    'every file outside the state dir is as it was (content, size, mtime)',
  );
  const stateRelative = relative(root, estate.stateDir);
  const newEntries = entries(root).filter((e) => !entriesBefore.includes(e));
  t.same(
    newEntries.filter((e) => e !== stateRelative && !e.startsWith(`${stateRelative}/`)),
    [],
    'no new file or directory outside the state dir',
  );
  t.ok(changed.some(inState), 'the state dir itself was written');
  t.comment(
    `figure: ${changed.filter((p) => !inState(p)).length} changes outside the state dir; ${changed.filter(inState).length} files changed inside it; ${Object.keys(before).length} files watched`,
  );
});
