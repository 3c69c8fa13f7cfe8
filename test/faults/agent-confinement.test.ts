// The agent stays inside what it is given. By default (`followSymlinks: "inside"`) a link in a location
// to a file, a directory or a checksum file outside it is never opened (the outside files' atime stays
// put: relatime would move it on any read) and is said, while links that stay inside are followed, also
// when the location's own path is a link; `followSymlinks: false` opens no link; `true` is the operator's
// choice to follow links out. A pattern with ".." is refused before anything is read; an absolute
// pattern is read inside the location. And a run writes nothing outside its state dir: the estate around
// it, the working directory and TMPDIR are the same file for file afterwards (snapshotTree), and no new
// entry appears. Adjacent ground: test/sources/disk/** (symlink loops, links not followed, ".." in the
// walk, links-inside.test.ts), test/verify/symlinked-copy.test.ts, test/config/** (the ".." refusal).
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
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import t, { type Test } from 'tap';
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
  outsideSidecar: string;
}

type FollowSymlinks = boolean | 'inside' | undefined;

/**
 * The demo estate, an `outside` folder beside its locations, and links from the local location into
 * it: to a dump (matched by erp-db's pattern), to its directory (payroll's pattern passes through it)
 * and to a checksum file beside a copy (mail's).
 */
function estateWithLinksOut(root: string, followSymlinks: FollowSymlinks, endpoint?: string): Estate {
  const estate = agentEstate(root, endpoint ?? 'http://127.0.0.1:9/unused');
  const outside = join(root, 'outside');
  mkdirSync(join(outside, 'dumps'), { recursive: true });
  mkdirSync(join(outside, 'sums'), { recursive: true });
  const outsideFile = join(outside, 'dumps', 'payroll.dump');
  writeFileSync(outsideFile, 'not a backup of this estate');
  const mail = join(root, 'local', 'mail', 'mail-latest.tar');
  const outsideSidecar = join(outside, 'sums', 'mail-latest.tar.sha256');
  writeFileSync(outsideSidecar, `${createHash('sha256').update(readFileSync(mail)).digest('hex')}  mail-latest.tar\n`);
  symlinkSync(outsideFile, join(root, 'local', 'erp', 'erp-db-elsewhere.dump'));
  symlinkSync(join(outside, 'dumps'), join(root, 'local', 'linked'));
  symlinkSync(outsideSidecar, `${mail}.sha256`);
  const locations = (estate.config.locations as Array<Record<string, unknown>>).map((location) =>
    location.id === 'local' && followSymlinks !== undefined ? { ...location, followSymlinks } : location,
  );
  estate.rewrite({
    locations,
    datasets: [...(estate.config.datasets as unknown[]), { id: 'payroll', copies: { local: 'linked/*.dump' } }],
    // Without a receiver nothing is sent: the run alone is under test.
    report: endpoint ? estate.config.report : undefined,
  });
  return { root, configFile: estate.configFile, stateDir: estate.stateDir, outsideFile, outsideSidecar };
}

interface SentReport {
  datasets: Array<{ id: string; verdict: string; counts: { copies: number } }>;
  sources: Array<{
    id: string;
    issues: Array<{ code: string; path?: string; message: string; params: Record<string, unknown> }>;
  }>;
}

/** One agent run (--once) over the estate with links out, with both outside files' atime armed first. */
async function runWithLinksOut(
  t: Test,
  followSymlinks: FollowSymlinks,
): Promise<{ estate: Estate; report: SentReport; atimes: { file: number; sidecar: number } }> {
  const root = t.testdir({});
  const collector = await startCollector({ token: TOKEN });
  t.teardown(() => collector.close());
  const estate = estateWithLinksOut(root, followSymlinks, collector.url);
  const atimes = { file: armAtime(estate.outsideFile), sidecar: armAtime(estate.outsideSidecar) };
  const agent = startAgent(['-c', estate.configFile, '--once']);
  const { code } = await agent.exited;
  t.equal(code, 0, `the run is made (stderr: ${agent.stderr().slice(0, 300)})`);
  const report = JSON.parse([...collector.stored.values()][0] as string) as SentReport;
  return { estate, report, atimes };
}

/** verify --format json's report: each dataset's copies listed (the sent summary only counts them). */
interface FullReport {
  datasets: Array<{ id: string; copies: Array<{ path: string }> }>;
  sources: SentReport['sources'];
}

/** Both outside files' atime as armed: neither was read. */
function neitherRead(t: Test, estate: Estate, atimes: { file: number; sidecar: number }): void {
  t.equal(statSync(estate.outsideFile).atimeMs, atimes.file, 'the dump outside was never read');
  t.equal(statSync(estate.outsideSidecar).atimeMs, atimes.sidecar, 'the checksum file outside was never read');
}

const localIssues = (report: Pick<SentReport, 'sources'>, code: string) =>
  report.sources.find((s) => s.id === 'local')?.issues.filter((i) => i.code === code) ?? [];

t.test(
  'the default (followSymlinks "inside"): links out of the location are not opened, and each is said with the fix',
  { skip: BLIND ?? false },
  async (t) => {
    const { estate, report, atimes } = await runWithLinksOut(t, undefined);
    neitherRead(t, estate, atimes);
    const outside = localIssues(report, 'B321_SYMLINK_OUTSIDE_LOCATION');
    const local = join(estate.root, 'local');
    t.same(
      outside.map((i) => [relative(local, i.path ?? ''), i.params.target]).sort(),
      [
        ['erp/erp-db-elsewhere.dump', estate.outsideFile],
        ['linked', join(estate.root, 'outside', 'dumps')],
        ['mail/mail-latest.tar.sha256', estate.outsideSidecar],
      ],
      'each link out said once, with where it leads',
    );
    t.ok(
      outside.every((i) => i.message.includes('"followSymlinks": true')),
      `each names the fix (${outside[0]?.message})`,
    );
    t.equal(report.datasets.find((d) => d.id === 'payroll')?.counts.copies, 0, 'the linked directory gives no copy');
    // The sent report counts copies; verify's full report lists them (and reads nothing outside either).
    const full = JSON.parse(
      (await runCli(['verify', '-c', estate.configFile, '--format', 'json'])).stdout,
    ) as FullReport;
    const erp = full.datasets.find((d) => d.id === 'erp-db')?.copies.map((c) => c.path) ?? [];
    t.ok(erp.length, 'erp-db has its copies');
    t.notOk(
      erp.some((path) => path.endsWith('erp-db-elsewhere.dump')),
      'the linked dump is no copy of erp-db',
    );
    t.equal(statSync(estate.outsideFile).atimeMs, atimes.file, 'nor read by a second run');
    t.comment(`figure: outside files read 0 times (2 armed); ${outside.length} links out said`);
  },
);

t.test(
  'followSymlinks: false — links out of the location are not opened, and said so',
  { skip: BLIND ?? false },
  async (t) => {
    const { estate, report, atimes } = await runWithLinksOut(t, false);
    neitherRead(t, estate, atimes);
    const notFollowed = localIssues(report, 'B321_SYMLINK_NOT_FOLLOWED');
    t.ok(notFollowed.length, `the link not followed is said (${JSON.stringify(notFollowed.map((i) => i.params))})`);
    t.equal(report.datasets.find((d) => d.id === 'payroll')?.counts.copies, 0, 'the linked directory gives no copy');
    t.comment(`figure: outside file reads 0 (atime ${new Date(atimes.file).toISOString()} unchanged)`);
  },
);

t.test(
  'followSymlinks: true is the setting that follows a link out: the probe sees that read',
  { skip: BLIND ?? false },
  async (t) => {
    const { estate, report, atimes } = await runWithLinksOut(t, true);
    t.not(statSync(estate.outsideFile).atimeMs, atimes.file, 'read through the link: the atime probe would see a read');
    t.not(statSync(estate.outsideSidecar).atimeMs, atimes.sidecar, 'the checksum file out is read too');
    t.equal(report.datasets.find((d) => d.id === 'payroll')?.counts.copies, 1, 'the linked directory gives its copy');
    t.same(localIssues(report, 'B321_SYMLINK_OUTSIDE_LOCATION'), [], 'nothing said of links out: configured');
  },
);

t.test(
  'the default follows links that stay inside the location, also when the location path is itself a link',
  async (t) => {
    const root = t.testdir({});
    const estate = agentEstate(root, 'http://127.0.0.1:9/unused');
    const local = join(root, 'local');
    mkdirSync(join(local, 'archive', 'payroll'), { recursive: true });
    writeFileSync(join(local, 'archive', 'payroll', 'payroll-2026.dump'), 'payroll, inside the location');
    mkdirSync(join(local, 'links'));
    symlinkSync('../archive/payroll/payroll-2026.dump', join(local, 'links', 'payroll.dump'));
    symlinkSync(join(local, 'archive', 'payroll'), join(local, 'payroll-dir'));
    // The location is configured by a path that is a link to its directory.
    symlinkSync(local, join(root, 'local-via-link'));
    const locations = (estate.config.locations as Array<Record<string, unknown>>).map((location) =>
      location.id === 'local' ? { ...location, path: join(root, 'local-via-link') } : location,
    );
    estate.rewrite({
      locations,
      datasets: [
        ...(estate.config.datasets as unknown[]),
        { id: 'payroll-file', copies: { local: 'links/*.dump' } },
        { id: 'payroll-dir', copies: { local: 'payroll-dir/*.dump' } },
        { id: 'payroll-tree', copies: { local: '**/payroll-*.dump' } },
      ],
      report: undefined,
    });
    const result = await runCli(['verify', '-c', estate.configFile, '--format', 'json']);
    const report = JSON.parse(result.stdout) as FullReport;
    const copiesOf = (id: string) =>
      report.datasets
        .find((d) => d.id === id)
        ?.copies.map((c) => relative(join(root, 'local-via-link'), c.path))
        .sort();
    t.same(copiesOf('payroll-file'), ['links/payroll.dump'], 'a link to a file inside is followed and counted');
    t.same(copiesOf('payroll-dir'), ['payroll-dir/payroll-2026.dump'], 'a link to a directory inside is walked');
    t.same(
      copiesOf('payroll-tree'),
      ['archive/payroll/payroll-2026.dump', 'payroll-dir/payroll-2026.dump'],
      'a walk passes through a link to a directory inside',
    );
    t.ok(copiesOf('erp-db')?.length, 'the demo copies are found under a location path that is a link');
    t.same(localIssues(report, 'B321_SYMLINK_OUTSIDE_LOCATION'), [], 'no link is said to lead out');
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
  // Following links out: the run must write nothing there either.
  const estate = estateWithLinksOut(root, true);
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
