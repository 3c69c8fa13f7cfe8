// Which build the benchmark measures, and the Node flags its `backup321` command runs with (its
// `#!/usr/bin/env -S node …` line): ours is measured as operators start it, an older build (--dist) as it was.
import { readFileSync } from 'node:fs';

/** dist/ of this checkout, or BENCH_DIST (set by `bench.mjs --dist DIR`), e.g. a baseline checkout's dist/. */
export function measuredDist() {
  return process.env.BENCH_DIST
    ? new URL(`file://${process.env.BENCH_DIST.replace(/\/?$/, '/')}`)
    : new URL('../../dist/', import.meta.url);
}

/** Flags after `node` on the first line of `<dist>/cli/main.js`; [] when it names none (or is missing). */
export function cliNodeFlags(dist) {
  let first;
  try {
    first = readFileSync(new URL('cli/main.js', dist), 'utf8').split('\n', 1)[0] ?? '';
  } catch {
    return [];
  }
  const match = /^#!\s*\S*env\s+(?:-S\s+)?node((?:\s+--\S+)*)\s*$/.exec(first);
  return match ? match[1].trim().split(/\s+/).filter(Boolean) : [];
}

/**
 * The Node flags of the measured build's command. Read when asked, not at load: bench.mjs sets
 * BENCH_DIST and builds dist/ after this module has loaded.
 */
export function measuredCliFlags() {
  return cliNodeFlags(measuredDist());
}
