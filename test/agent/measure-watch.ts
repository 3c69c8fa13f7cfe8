// Measures watching a tree of DIRS x FILES files (default 2,000 x 100 = 200,000): inotify watches used,
// RSS, start-up time, and that a change deep in the tree is still seen. Not a test (tap runs *.test.ts):
//   node --import ./node_modules/@tapjs/typescript/dist/esm/import.mjs test/agent/measure-watch.ts [root] [dirs] [files]
// With TS_NODE_TRANSPILE_ONLY=1 it starts faster. The tree is made under root (default /dev/shm) and removed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { startWatch } from '../../src/agent/watch.js';
import { inotifyWatches, wholeTree } from './watch-helpers.js';

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
const [base = '/dev/shm', dirs = '2000', files = '100'] = process.argv.slice(2);
const root = mkdtempSync(join(base, 'b321-watch-'));
try {
  for (let d = 0; d < Number(dirs); d++) {
    const directory = join(root, `d${String(d).padStart(4, '0')}`);
    mkdirSync(directory);
    for (let f = 0; f < Number(files); f++) writeFileSync(join(directory, `f${f}.dump`), '');
  }
  const target = wholeTree(root);
  globalThis.gc?.();
  const before = process.memoryUsage();
  const started = performance.now();
  let settled: string[] = [];
  const watch = startWatch({
    targets: [target],
    settleMs: 200,
    logger: pino({ level: 'warn' }),
    onSettled: (change) => {
      settled = change.paths;
    },
  });
  await watch.ready;
  const startupMs = performance.now() - started;
  globalThis.gc?.();
  const after = process.memoryUsage();
  const changed = join(root, 'd1999', 'f99.dump');
  writeFileSync(changed, 'new backup');
  const deadline = performance.now() + 30_000;
  while (settled.length === 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  console.log(
    JSON.stringify({
      files: Number(dirs) * Number(files),
      directories: Number(dirs) + 1,
      inotifyWatches: inotifyWatches(),
      startupMs: Math.round(startupMs),
      rssMiB: { before: mib(before.rss), after: mib(after.rss) },
      heapUsedMiB: { before: mib(before.heapUsed), after: mib(after.heapUsed) },
      degraded: watch.degraded,
      changeSeen: settled.includes(changed),
    }),
  );
  await watch.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
