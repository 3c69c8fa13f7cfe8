// The dashboard case's fleet: AGENTS agents × DATASETS datasets, one report a day for DAYS days, each
// stored through the store's own ingest (the same transaction a received report takes). Made once and
// kept in the bench cache (BENCH_CACHE, else <tmp>/backup321-bench-cache), keyed by SEED_VERSION and the
// sizes; a finished seed is renamed into place, so a file there is always whole.
//
// Speed: a report awaited alone is a transaction of its own, and on SQLite (synchronous=FULL) its
// commit's fsync was ≈ 9–11 ms of the ≈ 12–17 ms a seeded report took. The seed hands the store a
// day's reports MAX_BATCH at a time without waiting between them, as concurrent requests do: the
// store's group commit (ingest-batch.ts) stores each batch in one transaction and one fsync.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from './cases/collector-ingest-load.mjs';
import { CHECK_COUNT, reportMaker } from './seed-report.mjs';

/** Bump when the seeded fleet's shape changes (not when the store's code does: it migrates the file). */
export const SEED_VERSION = 2;
const DAY = 86_400_000;
/** The fleet of issue 29: a full run's, and --quick's (the same latest state, 3 days of history). */
export const FULL = { agents: 10_000, datasets: 20, days: 30 };
export const QUICK = { agents: 10_000, datasets: 20, days: 3 };
/** A dataset's verdict (and its failing check) stays from one day to the next, but for this share. */
const CHANGES_A_DAY = 0.15;
/** The stored canonical text is compared with the store's own writing of it every this many reports. */
const CHECK_CANONICAL_EVERY = 4999;

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

/** Most datasets compliant, some at risk, a few non-compliant or unknown: an index into seed-report's VERDICTS. */
function verdictRoll(roll) {
  if (roll < 0.93) return 0;
  if (roll < 0.975) return 1;
  if (roll < 0.993) return 2;
  return 3;
}

/**
 * What an agent does on the day `d` of `days` (0 the first): 'run' (a report), 'off' (no run: silent
 * agents, 1 in 40, stopped 3 days before the seed's end, or after its first day in a shorter seed), 'lost' (ran, its report never arrived: 1 in
 * 50 now and then, a gap nobody told), 'dropped' (ran, its outbox dropped the report and the next one
 * says so: 1 in 100, two days mid-history) or 'reinstall' (a new instance whose seq starts at 1 again:
 * 1 in 200, two thirds into the history).
 */
export function dayOf(a, d, days) {
  if (a % 40 === 7 && d > 0 && d >= days - 3) return 'off';
  const mid = Math.floor(days / 2);
  if (a % 100 === 29 && (d === mid || d === mid + 1) && d > 0 && d < days - 1) return 'dropped';
  if (a % 200 === 51 && d === Math.floor((2 * days) / 3) && d > 0) return 'reinstall';
  if (a % 50 === 13 && d > 0 && d < days - 1 && (d + a) % 9 === 4) return 'lost';
  return 'run';
}

/** The fleet's state between days: each agent's instance and seq, each dataset's verdict and failing check. */
function fleetState(agents, datasets) {
  return {
    instance: Array.from({ length: agents }, () => randomUUID()),
    seq: new Int32Array(agents),
    /** Seqs an agent's outbox dropped since its last report: [first, last], or undefined. */
    dropped: new Array(agents),
    /** Per agent × dataset: verdict index × 8 + failing check index; 255 before the first report. */
    sets: new Uint8Array(agents * datasets).fill(255),
  };
}

/** Agent a's datasets today: each keeps yesterday's state but for CHANGES_A_DAY of them. */
function todaysStates(state, a, datasets, rand) {
  const states = state.sets.subarray(a * datasets, (a + 1) * datasets);
  for (let d = 0; d < datasets; d++) {
    if (states[d] === 255 || rand() < CHANGES_A_DAY)
      states[d] = verdictRoll(rand()) * 8 + Math.floor(rand() * CHECK_COUNT);
  }
  return states;
}

/** What the agent's outbox dropped since its last report, said in this one (once). */
function deliveryOf(state, a) {
  const dropped = state.dropped[a];
  state.dropped[a] = undefined;
  return (
    dropped && { droppedReports: dropped[1] - dropped[0] + 1, firstDroppedSeq: dropped[0], lastDroppedSeq: dropped[1] }
  );
}

/**
 * Stores the fleet's history through `store.ingest` (any back end), oldest day first, as a fleet's
 * reports arrive. `template` is a real summary report (its policy, product and summary shape);
 * log(line) now and then. Returns the seed's end (each day ends at the hour the seed started).
 */
export async function seedFleet(store, template, sizes, log) {
  const { agents, datasets, days } = sizes;
  const [{ canonicalJson }, { reportValidator }, { MAX_BATCH }] = await Promise.all([
    load('collector/store/canonical-json.js'),
    load('collector/validate-report.js'),
    load('collector/store/ingest-batch.js'),
  ]);
  const make = reportMaker(template, canonicalJson);
  const validate = reportValidator();
  const checked = new Set();
  const rand = random(0x321);
  const state = fleetState(agents, datasets);
  const end = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  const started = Date.now();
  let stored = 0;
  let pending = [];
  const settle = async () => {
    for (const { outcome } of await Promise.all(pending)) {
      if (outcome !== 'stored') throw new Error(`seed ingest: ${outcome}`);
    }
    stored += pending.length;
    pending = [];
  };
  for (let d = 0; d < days; d++) {
    for (let a = 0; a < agents; a++) {
      const today = dayOf(a, d, days);
      if (today === 'off') continue;
      if (today === 'reinstall') {
        state.instance[a] = randomUUID();
        state.seq[a] = 0;
      }
      const seq = ++state.seq[a];
      if (today === 'lost') continue;
      if (today === 'dropped') {
        state.dropped[a] = [state.dropped[a]?.[0] ?? seq, seq];
        continue;
      }
      // Each agent its own minute of the day, so reports arrive spread out as a fleet's do.
      const at = end - (days - 1 - d) * DAY - (a % 1440) * 60_000;
      const agent = `agent-${String(a).padStart(5, '0')}`;
      const { report, canonical } = make({
        agent,
        instanceId: state.instance[a],
        reportId: randomUUID(),
        seq,
        at,
        states: todaysStates(state, a, datasets, rand),
        delivery: deliveryOf(state, a),
      });
      const shape = `${today}${report.delivery ? '+delivery' : ''}`;
      const fresh = !checked.has(shape);
      if (fresh) {
        const outcome = validate(JSON.parse(JSON.stringify(report)));
        if (!('reportId' in outcome)) throw new Error(`the seed's report is not valid: ${JSON.stringify(outcome)}`);
        checked.add(shape);
      }
      if ((fresh || (stored + pending.length) % CHECK_CANONICAL_EVERY === 0) && canonical !== canonicalJson(report)) {
        throw new Error(`the seed's canonical body of ${agent} is not the store's`);
      }
      pending.push(
        store.ingest(
          report,
          { canonical, bytes: canonical.length },
          { receivedAt: new Date(at + 5_000), tokenId: null },
        ),
      );
      if (pending.length >= MAX_BATCH) {
        await settle();
        if (stored % 20_000 < MAX_BATCH)
          log?.(`  seeded ${stored} reports, day ${d + 1}/${days} (${Math.round((Date.now() - started) / 1000)} s)`);
      }
    }
  }
  await settle();
  return { end, stored, seconds: (Date.now() - started) / 1000 };
}

/** The fleet seeded into `store`, then a reader token made: what a seeded database's meta says. */
export async function seedWithReader(store, template, sizes, log) {
  const seeded = await seedFleet(store, template, sizes, log);
  const reader = await store.createToken({ kind: 'reader', subject: 'bench' });
  return {
    endsAt: new Date(seeded.end).toISOString(),
    readerToken: reader.token,
    reports: seeded.stored,
    seedSeconds: Math.round(seeded.seconds),
    sizes,
  };
}

export const silentLogger = async () => (await import('pino')).default({ level: 'silent' });

/** The seeded SQLite file's path, made when missing: `sizes` { agents, datasets, days }. */
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
  const { openStore } = await load('collector/store/open.js');
  const store = await openStore(partial, { logger: await silentLogger() });
  try {
    const meta = await seedWithReader(store, template, sizes, log);
    await store.close();
    writeFileSync(metaFile, JSON.stringify(meta));
    renameSync(partial, file);
    return { file, ...meta };
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}
