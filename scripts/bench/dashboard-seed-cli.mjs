// Seeds the dashboard case's fleet ahead of a bench run, under `nice` on a shared machine
// (docs/benchmarks.md, `dashboard-page`):
//   node scripts/bench/dashboard-seed-cli.mjs [--quick]                  the SQLite file, into the bench cache
//   node scripts/bench/dashboard-seed-cli.mjs --postgres URL [--schema S] a new schema, kept until dropped
// and prints what BENCH_DASHBOARD_DB takes to measure it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { templateReport } from './cases/collector-ingest-load.mjs';
import { FULL, QUICK, seededFleet } from './dashboard-seed.mjs';
import { seededPostgres } from './dashboard-seed-pg.mjs';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    postgres: { type: 'string' },
    schema: { type: 'string' },
  },
});
const sizes = values.quick ? QUICK : FULL;
const log = (line) => process.stderr.write(`${line}\n`);
const root = mkdtempSync(join(tmpdir(), 'backup321-seed-'));
try {
  const template = await templateReport(root);
  if (values.postgres) {
    const schema = values.schema ?? `bench_dashboard_${sizes.days}d`;
    const seeded = await seededPostgres(template, sizes, values.postgres, schema, log);
    process.stdout.write(
      `BENCH_DASHBOARD_DB='${seeded.db}' (${seeded.reports} reports, seeded in ${seeded.seedSeconds} s); afterwards: drop schema ${schema} cascade\n`,
    );
  } else {
    const seeded = await seededFleet(template, sizes, log);
    process.stdout.write(`${seeded.file} (${seeded.reports ?? '?'} reports, seeded in ${seeded.seedSeconds} s)\n`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
