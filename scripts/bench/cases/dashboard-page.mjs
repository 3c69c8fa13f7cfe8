// Case: the dashboard at fleet scale (issue 29). 10,000 agents × 20 datasets with 30 days of daily
// history (3 in --quick), stored through the store's own ingest into a SQLite file (dashboard-seed.mjs,
// cached between runs; `nice node scripts/bench/dashboard-seed-cli.mjs` makes it ahead), served by the built `backup321 collector` (its own process): p50/p95 of the first fleet page,
// filtered pages, an agent's page, a dataset's page, and the CSV export's total time and the collector's
// peak RSS while it streams. BENCH_DASHBOARD_DB=FILE measures an already seeded file instead, or a
// postgres:// URL a schema the seed's --postgres made (its search_path in the URL's options).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../agent-process.mjs';
import { FULL, QUICK, seededFleet } from '../dashboard-seed.mjs';
import { templateReport } from './collector-ingest-load.mjs';
import { measuredCliFlags, measuredDist } from '../measured-build.mjs';
import { median } from '../measure.mjs';

export const id = 'dashboard-page';

const P95_MS = 300;
const HOUR = 3_600_000;

const load = (path) => import(new URL(path, measuredDist()).href);

/** One value of a query on the seeded database: a SQLite file, or a postgres:// URL (its search_path the seeded schema). */
async function querier(db) {
  if (/^postgres(ql)?:\/\//i.test(db)) {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    const one = async (q) => Object.values((await client.query(q)).rows[0] ?? {})[0];
    const size = `SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'r'`;
    return { backend: 'PostgreSQL', one, bytes: () => one(size), close: () => client.end() };
  }
  const { default: Database } = await import('better-sqlite3');
  const file = new Database(db, { readonly: true, fileMustExist: true });
  const one = async (q) => file.prepare(q).pluck().get();
  const size = 'SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()';
  return { backend: 'SQLite', one, bytes: () => one(size), close: () => file.close() };
}

/** What the database holds, counted (not what was asked): agents, datasets, reports, days of history. */
async function contents(db) {
  const { backend, one, bytes, close } = await querier(db);
  const time = async (q) => Date.parse(new Date(await one(q)).toISOString());
  try {
    return {
      backend,
      agents: Number(await one('SELECT count(*) FROM agents')),
      datasets: Number(await one('SELECT count(*) FROM datasets')),
      reports: Number(await one('SELECT count(*) FROM reports')),
      // The seed spreads each day's reports over its 24 hours: N days span just under N × 24 h.
      days: Math.ceil(
        ((await time('SELECT max(finished_at) FROM reports')) - (await time('SELECT min(finished_at) FROM reports'))) /
          (24 * HOUR),
      ),
      lastReceived: await time('SELECT max(last_received_at) FROM agents'),
      bytes: Number(await bytes()),
    };
  } finally {
    await close();
  }
}

async function collectorProcess(db, port, silentAfterS) {
  const main = fileURLToPath(new URL('cli/main.js', measuredDist()));
  const child = spawn(
    process.execPath,
    [
      ...measuredCliFlags(),
      main,
      'collector',
      '--db',
      db,
      '--listen',
      `127.0.0.1:${port}`,
      '--silent-after',
      `${silentAfterS}s`,
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  // The first start on a file seeded by an older build migrates it (a backfill over every agent).
  for (let tries = 0; ; tries++) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (tries > 6000 || child.exitCode !== null) throw new Error('the collector did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    pid: child.pid,
    close: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

/** The collector's peak and current RSS (MB) from /proc. */
function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { peakMB: kb('VmHWM') / 1024, nowMB: kb('VmRSS') / 1024 };
}

/** One GET on a kept-alive connection: ms to the last byte, status, bytes, and the body when asked. */
function get(agent, port, path, token, keep = false) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let bytes = 0;
        const chunks = [];
        res.on('data', (chunk) => {
          bytes += chunk.length;
          if (keep) chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({
            ms: performance.now() - started,
            status: res.statusCode,
            bytes,
            body: keep ? Buffer.concat(chunks).toString('utf8') : '',
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function run(ctx) {
  const sizes = ctx.profile.name === 'quick' ? QUICK : FULL;
  const root = join(ctx.scratch, 'dashboard-page');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const log = (line) => process.stderr.write(`${line}\n`);
  const seeded = process.env.BENCH_DASHBOARD_DB
    ? { file: process.env.BENCH_DASHBOARD_DB }
    : await seededFleet(await templateReport(root), sizes, log);
  const db = seeded.file;
  const { openStore } = await load('collector/store/open.js');
  const { default: pino } = await import('pino');
  // A reader token for this run (the dashboard's pages and the export are for readers).
  const store = await openStore(db, { logger: pino({ level: 'silent' }) });
  const { token } = await store.createToken({ kind: 'reader', subject: `bench-${Date.now()}` });
  await store.close();
  const held = await contents(db);
  // Agents report daily and 1 in 40 stopped 3 days before the seed's end: silent after the seed's age
  // plus 36 h keeps the others heard from, however old the cached seed is.
  const silentAfterS = Math.round((Date.now() - held.lastReceived + 36 * HOUR) / 1000);
  const port = await freePort();
  const started = performance.now();
  const collector = await collectorProcess(db, port, silentAfterS);
  const startMs = performance.now() - started;
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
  const figures = {};
  let csv;
  try {
    // The export first, in the fresh process: its peak RSS is the export's, not the pages'.
    const before = rssOf(collector.pid);
    const csvRuns = [];
    for (let i = 0; i < 3; i++) {
      const res = await get(keepAlive, port, '/api/v1/export.csv', token);
      if (res.status !== 200) throw new Error(`export.csv: ${res.status}`);
      csvRuns.push(res);
    }
    const after = rssOf(collector.pid);
    csv = {
      ms: median(csvRuns.map((r) => r.ms)),
      min: Math.min(...csvRuns.map((r) => r.ms)),
      max: Math.max(...csvRuns.map((r) => r.ms)),
      bytes: csvRuns[0].bytes,
      rssBefore: before.nowMB,
      peakBefore: before.peakMB,
      peak: after.peakMB,
    };
    const first = await get(keepAlive, port, '/', token, true);
    const shownAgents = (first.body.match(/<tbody class="agent"/g) ?? []).length;
    if (first.status !== 200 || shownAgents !== 100)
      throw new Error(`GET / gave ${first.status} with ${shownAgents} agents (100 expected)`);
    const cases = {
      first: { n: ctx.profile.name === 'quick' ? 40 : 80, path: () => '/' },
      'verdict=non-compliant': { n: 20, path: () => '/?verdict=non-compliant' },
      'name=agent-012': { n: 20, path: () => '/?name=agent-012' },
      'check=offline&checkStatus=fail': { n: 20, path: () => '/?check=offline&checkStatus=fail' },
      'page 50, sort=lastReport': { n: 20, path: () => '/?sort=lastReport&page=50' },
      agent: { n: 20, path: (i) => `/agents/agent-${String((i * 487) % held.agents).padStart(5, '0')}` },
      dataset: { n: 20, path: (i) => `/datasets/ds-${String(i % 20).padStart(2, '0')}` },
    };
    for (const [name, c] of Object.entries(cases)) {
      for (let i = 0; i < 3; i++) await get(keepAlive, port, c.path(i), token);
      const ms = [];
      for (let i = 0; i < c.n; i++) {
        const res = await get(keepAlive, port, c.path(i), token);
        if (res.status !== 200) throw new Error(`${c.path(i)}: ${res.status}`);
        ms.push(res.ms);
      }
      ms.sort((a, b) => a - b);
      figures[name] = { p50: percentile(ms, 50), p95: percentile(ms, 95), max: ms.at(-1), n: ms.length };
    }
  } finally {
    keepAlive.destroy();
    await collector.close();
  }
  const p95 = figures.first.p95;
  const others = Object.entries(figures)
    .filter(([name]) => name !== 'first')
    .map(([name, f]) => `${name} p50 ${f.p50.toFixed(0)} / p95 ${f.p95.toFixed(0)} ms`)
    .join('; ');
  return {
    id,
    title: `the dashboard at ${held.agents.toLocaleString('en')} agents × ${Math.round(held.datasets / held.agents)} datasets, ${held.days} days of history, ${held.backend}`,
    size: `${held.agents / 1000}k agents × ${Math.round(held.datasets / held.agents)} ds × ${held.days} d`,
    unit: 'ms p95',
    ours: {
      median: p95,
      min: figures.first.p50,
      max: figures.first.max,
      values: [],
      cpuMs: 0,
      maxRssMB: csv.peak,
      wallMs: 0,
    },
    peers: [],
    ratio: undefined,
    target: `first page p95 ≤ ${P95_MS} ms`,
    pass: p95 <= P95_MS,
    spread: 0,
    loadAtStart: ctx.loadAtStart,
    loadAtEnd: Number(loadavg()[0].toFixed(2)),
    notes: [
      `first page (GET /, 100 agents × their datasets): p50 ${figures.first.p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${figures.first.max.toFixed(0)} ms over ${figures.first.n} requests one after another on a kept-alive connection (reader Bearer token)`,
      `others: ${others}`,
      `CSV export: ${(csv.ms / 1000).toFixed(1)} s median of 3 (${(csv.min / 1000).toFixed(1)}–${(csv.max / 1000).toFixed(1)} s), ${(csv.bytes / 2 ** 20).toFixed(0)} MiB; collector RSS ${csv.rssBefore.toFixed(0)} MB before, peak ${csv.peak.toFixed(0)} MB through the exports (peak before them ${csv.peakBefore.toFixed(0)} MB)`,
      `the ${held.backend} database: ${held.agents} agents, ${held.datasets} latest datasets, ${held.reports} reports over ${held.days} days, ${(held.bytes / 2 ** 30).toFixed(1)} GiB; the collector took ${(startMs / 1000).toFixed(1)} s to start (a first start migrates the file)${seeded.seedSeconds === undefined ? '' : `; seeded in ${seeded.seedSeconds} s (${Math.round(held.reports / Math.max(1, seeded.seedSeconds))} reports/s, cached since)`}`,
    ],
  };
}
