// Case: the summary report an agent sends after a run over a million copies (the memory case's tree):
// its size must not grow with the estate (≤ 64 KB gzipped).
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { diskConfig, treeDatasets } from '../data.mjs';
import { ours } from '../measure.mjs';
import { ensureMillionTree, PER_DATASET } from './memory.mjs';

export const id = 'summary';

const LIMIT_BYTES = 64 * 1024;

export async function run(ctx) {
  const copies = ctx.profile.memorySizes.at(-1);
  const root = ensureMillionTree(ctx);
  const config = diskConfig(join(ctx.scratch, 'summary.json'), {
    stateDir: join(ctx.scratch, 'state', `summary-${Date.now()}`),
    location: root,
    datasets: treeDatasets(copies / PER_DATASET),
  });
  const result = await ours('summary', { config });
  if (result.copies !== copies) throw new Error(`summary: expected ${copies} copies, got ${result.copies}`);
  const kb = result.gzipBytes / 1024;
  return {
    id,
    title: `summary report of a verify over ${copies.toLocaleString('en')} copies (${copies / PER_DATASET} datasets): gzipped size`,
    size: `${copies / 1000}k copies`,
    unit: 'KB',
    ours: { median: kb, min: kb, max: kb, cpuMs: result.cpuMs, maxRssMB: result.maxRssMB, wallMs: result.wallMs },
    peers: [],
    ratio: undefined,
    target: 'gzipped ≤ 64 KB',
    pass: result.gzipBytes <= LIMIT_BYTES,
    spread: 0,
    loadAtStart: ctx.loadAtStart,
    loadAtEnd: Number(loadavg()[0].toFixed(2)),
    notes: [
      `${(result.jsonBytes / 1024).toFixed(1)} KB of JSON, ${kb.toFixed(1)} KB gzipped, built in ${result.wallMs.toFixed(0)} ms (the inventory digest sorts and hashes every copy)`,
    ],
  };
}
