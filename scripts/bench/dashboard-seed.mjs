// The dashboard case's fleet: AGENTS agents × DATASETS datasets, one report a day for DAYS days, each
// stored through the store's own ingest (the same transaction a received report takes). Made once and
// kept in the bench cache (BENCH_CACHE, else <tmp>/backup321-bench-cache), keyed by SEED_VERSION and the
// sizes, since seeding the full fleet takes many minutes; a finished seed is renamed into place, so a
// file there is always whole.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measuredDist } from './measured-build.mjs';

/** Bump when the seeded fleet's shape changes (not when the store's code does: it migrates the file). */
export const SEED_VERSION = 1;
const DAY = 86_400_000;
const CHECKS = ['copies', 'media', 'offline', 'freshness', 'integrity', 'restore-time', 'restore-drill'];
const load = (path) => import(new URL(path, measuredDist()).href);

export function cacheDir() {
  return process.env.BENCH_CACHE ?? join(tmpdir(), 'backup321-bench-cache');
}

/** Deterministic pseudo-random numbers (the same fleet every seed). */
function random(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/**
 * Verdicts: most datasets compliant, some at risk, a few non-compliant or unknown; an agent's worst
 * decides its status. Silent agents (1 in 40) stopped reporting 3 days before the seed's end.
 */
function datasetVerdict(roll) {
  if (roll < 0.93) return 'compliant';
  if (roll < 0.975) return 'at-risk';
  if (roll < 0.993) return 'non-compliant';
  return 'unknown';
}

const STATUS_OF = { compliant: 'pass', 'at-risk': 'warn', 'non-compliant': 'fail', unknown: 'unknown' };

function dataset(id, verdict, at, roll) {
  const failing = CHECKS[Math.floor(roll * CHECKS.length)];
  return {
    id,
    verdict,
    counts: { copies: 4, usable: 3, devices: 3, media: 2, offline: 1 },
    newestCopyAt: new Date(at - 2 * 3_600_000).toISOString(),
    restoreEstimateMs: 3_600_000,
    rtoMs: 28_800_000,
    findings: CHECKS.map((check) => {
      const status = check === failing ? STATUS_OF[verdict] : 'pass';
      return {
        check,
        status,
        reason: status === 'pass' ? 'ok' : status === 'unknown' ? 'no-data' : 'below-policy',
        params: {},
        message: `${check}: ${status} for ${id}`,
        evidence: { counted: [], notCounted: [] },
        evidenceTotals: { counted: 0, notCounted: 0 },
      };
    }),
  };
}

function report(template, agent, instanceId, seq, at, rand, datasets) {
  const sets = Array.from({ length: datasets }, (_, d) =>
    dataset(`ds-${String(d).padStart(2, '0')}`, datasetVerdict(rand()), at, rand()),
  );
  const worst = ['non-compliant', 'unknown', 'at-risk', 'compliant'].find((v) => sets.some((s) => s.verdict === v));
  return {
    ...template,
    reportId: randomUUID(),
    agent: { id: agent, instanceId, host: { ...template.agent.host, hostname: `host-${agent}` } },
    seq,
    trigger: 'schedule',
    startedAt: new Date(at - 60_000).toISOString(),
    finishedAt: new Date(at).toISOString(),
    nextRunAt: new Date(at + DAY).toISOString(),
    run: { deep: false, datasetsSelected: null, durationMs: 60_000 },
    datasets: sets,
    summary: { ...template.summary, verdict: worst },
  };
}

/**
 * The seeded file's path, made when missing: `sizes` { agents, datasets, days }. `template` is a real
 * summary report (its policy, product and summary shape); onProgress(done, total) now and then.
 */
export async function seededFleet(template, sizes, log) {
  const { agents, datasets, days } = sizes;
  const dir = cacheDir();
  mkdirSync(dir, { recursive: true });
  const name = `dashboard-v${SEED_VERSION}-${agents}x${datasets}x${days}d.sqlite`;
  const file = join(dir, name);
  const metaFile = `${file}.json`;
  if (existsSync(file) && existsSync(metaFile)) return { file, ...JSON.parse(readFileSync(metaFile, 'utf8')) };
  const partial = join(dir, `${name}.partial`);
  for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true });
  const [{ openStore }, { receivedBody }, { reportValidator }, { default: pino }] = await Promise.all([
    load('collector/store/open.js'),
    load('collector/store/body.js'),
    load('collector/validate-report.js'),
    import('pino'),
  ]);
  const store = await openStore(partial, { logger: pino({ level: 'silent' }) });
  const validate = reportValidator();
  const rand = random(0x321);
  // Days end at the hour the seed ends; silent agents' last 3 days are missing.
  const end = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  const started = Date.now();
  const total = agents * days;
  let done = 0;
  try {
    for (let day = days - 1; day >= 0; day--) {
      for (let a = 0; a < agents; a++) {
        const agent = `agent-${String(a).padStart(5, '0')}`;
        const silent = a % 40 === 7;
        if (silent && day < 3) {
          done++;
          continue;
        }
        // Each agent its own minute of the day, so reports arrive spread out as a fleet's do.
        const at = end - day * DAY - (a % 1440) * 60_000;
        const body = report(template, agent, instanceOf(agent), days - day, at, rand, datasets);
        if (done === 0) {
          const checked = validate(JSON.parse(JSON.stringify(body)));
          if (!('reportId' in checked)) throw new Error(`the seed's report is not valid: ${JSON.stringify(checked)}`);
        }
        const received = receivedBody(body, 0);
        const { outcome } = await store.ingest(
          body,
          { ...received, bytes: received.canonical.length },
          {
            receivedAt: new Date(at + 5_000),
            tokenId: null,
          },
        );
        if (outcome !== 'stored') throw new Error(`seed ingest: ${outcome}`);
        if (++done % 20_000 === 0)
          log?.(`  seeded ${done}/${total} reports (${Math.round((Date.now() - started) / 1000)} s)`);
      }
    }
    const reader = await store.createToken({ kind: 'reader', subject: 'bench' });
    const meta = {
      endsAt: new Date(end).toISOString(),
      readerToken: reader.token,
      seedSeconds: Math.round((Date.now() - started) / 1000),
      sizes,
    };
    await store.close();
    writeFileSync(metaFile, JSON.stringify(meta));
    renameSync(partial, file);
    return { file, ...meta };
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}

const instances = new Map();
function instanceOf(agent) {
  let id = instances.get(agent);
  if (!id) {
    id = randomUUID();
    instances.set(agent, id);
  }
  return id;
}
