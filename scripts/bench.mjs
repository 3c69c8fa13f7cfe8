// `npm run bench`: builds dist/, makes its own data in a temp dir, runs each case against its peers, prints one table.
// Usage: node scripts/bench.mjs [--quick] [--json FILE] [--only case,case] [--no-build] [--dist DIR] [--help]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { freemem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as agentIdle from './bench/cases/agent-idle.mjs';
import * as collectorIngest from './bench/cases/collector-ingest.mjs';
import { onePg as collectorIngestPg, twoPg as collectorIngestPg2 } from './bench/cases/collector-ingest-pg.mjs';
import * as dashboardPage from './bench/cases/dashboard-page.mjs';
import * as eventLoop from './bench/cases/event-loop.mjs';
import * as healthzDeep from './bench/cases/healthz-deep.mjs';
import * as jsonReport from './bench/cases/json-report.mjs';
import * as memory from './bench/cases/memory.mjs';
import * as outboxDrain from './bench/cases/outbox-drain.mjs';
import * as s3List from './bench/cases/s3-list.mjs';
import * as shaLarge from './bench/cases/sha-large.mjs';
import * as shaSmall from './bench/cases/sha-small.mjs';
import * as summary from './bench/cases/summary.mjs';
import * as walk from './bench/cases/tree-walk.mjs';
import * as warmVerify from './bench/cases/warm-verify.mjs';
import { headerLines, isBusy, machine, waitForQuiet } from './bench/machine.mjs';
import { stopChildren } from './bench/measure.mjs';
import { measuredCliFlags } from './bench/measured-build.mjs';
import { FULL, QUICK } from './bench/profiles.mjs';
import { tableRows } from './bench/table.mjs';

const CASES = [
  shaLarge,
  shaSmall,
  walk,
  warmVerify,
  memory,
  summary,
  jsonReport,
  eventLoop,
  s3List,
  outboxDrain,
  agentIdle,
  healthzDeep,
  collectorIngest,
  collectorIngestPg,
  collectorIngestPg2,
  dashboardPage,
];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    only: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    // Another build to measure (its dist/ directory), e.g. a checkout of an older commit: before/after figures.
    dist: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(`Usage: npm run bench -- [options]   (or node scripts/bench.mjs [options])

  --quick            the same cases and targets, smaller where the ratio does not depend on size (≈ 2.5 min)
  --only ID,ID       only these cases: ${CASES.map((c) => c.id).join(', ')}
  --json FILE        also write every figure as JSON
  --no-build         skip \`npm run build\` (measure dist/ as it is)
  --dist DIR         measure another build's dist/ on the same data (no build)
  -h, --help         this help

docs/benchmarks.md describes the cases, their targets and how each figure is taken.
`);
  process.exit(0);
}
if (values.dist) process.env.BENCH_DIST = resolve(values.dist);
const profile = values.quick ? QUICK : FULL;
const selected = values.only ? CASES.filter((c) => values.only.split(',').includes(c.id)) : CASES;
const log = (line) => process.stderr.write(`${line}\n`);
const root = fileURLToPath(new URL('..', import.meta.url));

if (!values['no-build'] && !values.dist) {
  log('building dist/ (npm run build) …');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
}

// Data: the big file, small files, the nested tree and a million empty files (inodes, directories).
const needBytes =
  profile.bigFileBytes +
  profile.smallFileCount * profile.smallFileBytes +
  profile.treeFiles * 4096 +
  profile.s3Objects * 3 * 4096 +
  2 ** 30 +
  // The json-report case's report (≈ 1.5 KB per copy), deleted after each run.
  profile.memorySizes.at(-1) * 1536;
const freeBytes = (dir) => {
  try {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize;
  } catch {
    return 0;
  }
};
// tmpfs holds its files in memory: it must leave the cases their own (the memory case peaks near 1 GiB).
const TMPFS = '/dev/shm';
const onTmpfs =
  profile.preferTmpfs && freeBytes(TMPFS) >= needBytes * 1.5 && freemem() >= needBytes * 1.5 + 4 * 2 ** 30;
const dataRoot = onTmpfs ? TMPFS : tmpdir();
if (freeBytes(dataRoot) < needBytes * 1.5) {
  log(
    `not enough space in ${dataRoot}: ${(freeBytes(dataRoot) / 2 ** 30).toFixed(1)} GiB free, about ${((needBytes * 1.5) / 2 ** 30).toFixed(1)} GiB needed`,
  );
  process.exit(1);
}
const scratch = mkdtempSync(join(dataRoot, 'backup321-bench-'));
const cleanups = [];
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  stopChildren();
  for (const step of cleanups.splice(0)) await step().catch(() => undefined);
  log(`removing ${scratch} …`);
  rmSync(scratch, { recursive: true, force: true });
}
// Last resort (an uncaught error, or a case that hangs until the event loop runs dry): delete synchronously.
process.on('exit', () => {
  if (!cleaned) rmSync(scratch, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    log(`\n${signal}: stopping`);
    cleanup().finally(() => process.exit(130));
  });
}

const header = machine();
const rows = [];
const started = Date.now();
try {
  for (const line of headerLines(header)) log(line);
  log(
    `profile: ${profile.name}, ${profile.rounds} measured rounds after one warm-up; data in ${scratch}${onTmpfs ? ' (tmpfs)' : ''}`,
  );
  const ctx = { scratch, profile, made: new Set(), onCleanup: (step) => cleanups.push(step), loadAtStart: 0 };
  for (const benchCase of selected) {
    const attempts = profile.rerun ? 2 : 1;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      ctx.loadAtStart = profile.quietWaitMs > 0 ? await waitForQuiet(profile.quietWaitMs) : machine().loadAverage[0];
      log(
        `[${Math.round((Date.now() - started) / 1000)} s] ${benchCase.id}${attempt > 1 ? ' (re-run)' : ''}, load ${ctx.loadAtStart} …`,
      );
      let row;
      try {
        row = await benchCase.run(ctx);
      } catch (error) {
        row = {
          id: benchCase.id,
          error: String(error?.stack ?? error),
          pass: false,
          loadAtStart: ctx.loadAtStart,
          notes: [],
        };
        log(`  ${benchCase.id} failed: ${row.error}`);
      }
      // Disturbed: samples spread by more than 30%, or a miss measured on a busy machine. Re-run once.
      // Peak RSS (unit MB) does not depend on load, so only timed cases are re-run.
      const disturbed = !row.error && row.unit !== 'MB' && (row.spread > 0.3 || (!row.pass && isBusy()));
      if (attempt < attempts && disturbed) {
        log(
          `  looks disturbed (spread ${(row.spread * 100).toFixed(0)}%, load ${ctx.loadAtStart}, ${row.pass ? 'pass' : 'fail'}): re-running`,
        );
        ctx.previous = row;
        continue;
      }
      if (ctx.previous && row.error) {
        // The re-run broke: keep the first attempt's figures, and say so.
        ctx.previous.notes.push(`re-run failed, first attempt kept: ${row.error.split('\n')[0]}`);
        row = ctx.previous;
        ctx.previous = undefined;
      } else if (ctx.previous) {
        const p = ctx.previous;
        row.notes.push(
          `re-run: the first attempt looked disturbed (spread ${(p.spread * 100).toFixed(0)}%, load ${p.loadAtStart}, ratio ${p.ratio?.toFixed(2) ?? '—'}, ${p.pass ? 'pass' : 'fail'})`,
        );
        row.firstAttempt = p;
        ctx.previous = undefined;
      }
      rows.push(row);
      log(
        `  ${row.skipped ? `skipped: ${row.skipped}` : row.pass ? 'pass' : 'FAIL'}${row.ratio !== undefined ? ` ratio ${row.ratio.toFixed(2)}` : ''}`,
      );
      break;
    }
  }
} finally {
  await cleanup();
}

const out = [
  ...headerLines(header),
  `profile: ${profile.name} (${profile.rounds} rounds after a warm-up), data on ${onTmpfs ? 'tmpfs' : dataRoot}, total ${Math.round((Date.now() - started) / 1000)} s${values.dist ? `, build measured: ${process.env.BENCH_DIST}` : ''}`,
  `ours runs with the Node flags of the backup321 command: ${measuredCliFlags().join(' ') || 'none'}`,
  '',
  ...tableRows(rows),
  '',
  ...rows.flatMap((row) => (row.error ? [`${row.id}: ${row.error}`] : row.notes.map((note) => `${row.id}: ${note}`))),
];
process.stdout.write(`${out.join('\n')}\n`);
if (values.json)
  writeFileSync(
    values.json,
    `${JSON.stringify({ machine: header, profile, dist: process.env.BENCH_DIST ?? 'dist/', nodeFlags: measuredCliFlags(), rows }, null, 2)}\n`,
  );
process.exitCode = rows.every((row) => row.pass) && rows.length === selected.length ? 0 : 1;
