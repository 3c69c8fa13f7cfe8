// Case: the whole command `verify -f json -o FILE` over the memory case's million copies, as an
// operator runs it (cold: empty checksum cache, then warm): its peak RSS must stay within 1 GiB.
import { rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { diskConfig, treeDatasets } from '../data.mjs';
import { ours, oursCommand } from '../measure.mjs';
import { PER_DATASET, settledMillionTree } from './memory.mjs';

export const id = 'json-report';

const LIMIT_MB = 1024;

/** The copies the status line counts (its perfdata: `copies=N`). */
const copiesIn = (statusLine) => Number(/\bcopies=(\d+)/.exec(statusLine)?.[1] ?? Number.NaN);

export async function run(ctx) {
  const copies = ctx.profile.memorySizes.at(-1);
  const root = await settledMillionTree(ctx);
  const config = diskConfig(join(ctx.scratch, 'json-report.json'), {
    // A state dir of its own per attempt: the first run is cold (every file hashed, the cache saved).
    stateDir: join(ctx.scratch, 'state', `json-report-${Date.now()}`),
    location: root,
    datasets: treeDatasets(copies / PER_DATASET),
  });
  const file = join(ctx.scratch, 'json-report-out.json');
  const runs = [];
  let bytes = 0;
  for (const kind of ['cold', 'warm']) {
    const result = await oursCommand(['verify', '-c', config, '-f', 'json', '-o', file], ctx.scratch);
    if (copiesIn(result.stdout) !== copies)
      throw new Error(`json-report: expected ${copies} copies, the status line says: ${result.stdout.trim()}`);
    bytes = statSync(file).size;
    // 1.4 GB per report: deleted at once (on tmpfs it is memory).
    rmSync(file, { force: true });
    runs.push({ kind, ...result, bytes });
  }
  const [cold, warm] = runs;
  // The same run without the report (the memory case's measurement, warm): what writing the report adds.
  const alone = await ours('verify', { config });
  const peak = Math.max(cold.maxRssMB, warm.maxRssMB);
  const mb = (n) => `${n.toFixed(0)} MB`;
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  const signed = (n, unit) => `${n < 0 ? '−' : '+'}${unit(Math.abs(n))}`;
  return {
    id,
    title: `verify -f json -o FILE over ${copies.toLocaleString('en')} copies (${copies / PER_DATASET} datasets): peak RSS`,
    size: `${copies / 1000}k copies`,
    unit: 'MB',
    ours: {
      median: peak,
      min: Math.min(cold.maxRssMB, warm.maxRssMB),
      max: peak,
      cpuMs: warm.cpuMs,
      maxRssMB: peak,
      wallMs: warm.wallMs,
    },
    peers: [],
    ratio: undefined,
    target: `peak RSS ≤ ${LIMIT_MB} MB (cold and warm)`,
    pass: peak <= LIMIT_MB,
    spread: 0,
    loadAtStart: ctx.loadAtStart,
    loadAtEnd: Number(loadavg()[0].toFixed(2)),
    runs: runs.map(({ stdout, ...figures }) => figures),
    verifyAlone: { wallMs: alone.wallMs, maxRssMB: alone.maxRssMB },
    notes: [
      `whole command, peak RSS (cold/warm run): ${mb(cold.maxRssMB)}/${mb(warm.maxRssMB)}; wall ${s(cold.wallMs)}/${s(warm.wallMs)} (Node's start included); CPU ${s(cold.cpuMs)}/${s(warm.cpuMs)}`,
      `report file: ${bytes.toLocaleString('en')} bytes (${(bytes / copies).toFixed(0)} per copy)`,
      `no peer (no other tool writes this report); beside it, verify() alone, warm, as the memory case runs it: ${s(alone.wallMs)}, ${mb(alone.maxRssMB)}; the warm command beside it: ${signed(warm.wallMs - alone.wallMs, s)}, ${signed(warm.maxRssMB - alone.maxRssMB, mb)} (rendering and writing the report, and Node's start and module loading, which verify()'s figures leave out; each peak varies by a few tens of MB from run to run)`,
    ],
  };
}
