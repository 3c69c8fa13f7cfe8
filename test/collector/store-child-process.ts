// Runs test/collector/store-child.ts in a process of its own: a collector that opens (and migrates) the
// store at `url`, ingests the report in `reportFile` `count` times at once, and prints the outcomes.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const TS_LOADER = new URL('../../node_modules/@tapjs/typescript/dist/esm/import.mjs', import.meta.url).href;
const CHILD = fileURLToPath(new URL('./store-child.ts', import.meta.url));

/** `startAt` (ms since the epoch): the child opens the store at that moment, as close to the others as can be. */
export function storeChild(
  url: string,
  schema: string,
  reportFile: string,
  count: number,
  startAt?: number,
): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', TS_LOADER, CHILD, url, schema, reportFile, String(count)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...(startAt ? { B321_START_AT: String(startAt) } : {}) },
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk) => {
      out += chunk;
    });
    proc.stderr.on('data', (chunk) => {
      err += chunk;
    });
    proc.on('error', reject);
    proc.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}: ${err}`)),
    );
  });
}
