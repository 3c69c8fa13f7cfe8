// Builds a real SourceContext for disk-source tests: the real checksum service and host media.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import tap, { type Test } from 'tap';
import type { DatasetPatterns, DiskLocationConfig } from '../../../src/config/types.js';
import { createHostMedia } from '../../../src/host/index.js';
import { createChecksumService } from '../../../src/integrity/service.js';
import { createDiskSource } from '../../../src/sources/disk/source.js';
import { createWalkPool, hashingWalkPool, type WalkPool } from '../../../src/sources/disk/walk-pool.js';
import type { SourceContext } from '../../../src/sources/source.js';

export function diskLocation(path: string, extra: Partial<DiskLocationConfig> = {}): DiskLocationConfig {
  return { id: 'local', type: 'disk', path, retrievalMs: 0, followSymlinks: true, readTimeoutMs: 300_000, ...extra };
}

export function backup(dataset: string, ...patterns: string[]): DatasetPatterns {
  return { dataset, patterns, role: 'backup' };
}

/**
 * Reading threads for every run of a test file, closed when the file's tests end: a thread started
 * under the tests' TypeScript loader takes about a second to load its module, not milliseconds.
 */
const sharedPools = new Map<string, WalkPool>();
async function sharedWalkers(kind: 'listing' | 'hashing'): Promise<WalkPool> {
  let pool = sharedPools.get(kind);
  if (!pool) {
    const created = kind === 'hashing' ? hashingWalkPool(1) : createWalkPool(2);
    tap.teardown(() => created.close());
    sharedPools.set(kind, created);
    pool = created;
  }
  await pool.ready();
  return pool;
}

/**
 * A context whose checksum service is closed when the test ends. Its reading threads are the file's
 * shared ones, but for a run that may be aborted: an abort stops a pool's hashing for good.
 */
export async function sourceContext(
  t: Test,
  datasets: DatasetPatterns[],
  extra: Partial<SourceContext> = {},
): Promise<SourceContext> {
  const logger = pino({ level: 'silent' });
  // Not t.testdir(): a second call in one test would replace the tree under test.
  const stateDir = mkdtempSync(join(tmpdir(), 'b321-state-'));
  t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));
  const checksums = await createChecksumService({ stateDir, workers: 1, logger });
  t.teardown(() => checksums.close());
  // Ready before the walk, so even these small trees are read by the threads, as big ones are.
  let walkers: WalkPool;
  if (extra.signal) {
    walkers = createWalkPool(2);
    const own = walkers;
    t.teardown(() => own.close());
    await walkers.ready();
  } else walkers = await sharedWalkers('listing');
  return {
    datasets,
    now: new Date('2026-01-01T00:00:00Z'),
    deep: false,
    stateDir,
    logger,
    checksums,
    host: createHostMedia({ logger }),
    walkers,
    ...extra,
  };
}

/**
 * One run of the disk source as verify() makes it, over a state dir that outlives it (so the next run
 * finds its checksum cache): the cache loads while the walk starts, --deep has hashing threads, and
 * the service is closed (its files saved) before the result is returned.
 */
export async function inventoryRun(
  location: DiskLocationConfig,
  datasets: DatasetPatterns[],
  options: { stateDir: string; deep?: boolean },
) {
  const logger = pino({ level: 'silent' });
  const deep = options.deep ?? false;
  const checksums = await createChecksumService({
    stateDir: options.stateDir,
    workers: 1,
    logger,
    loadInBackground: true,
  });
  try {
    const walkers = await sharedWalkers(deep ? 'hashing' : 'listing');
    const result = await createDiskSource(location).inventory({
      datasets,
      now: new Date(),
      deep,
      stateDir: options.stateDir,
      logger,
      checksums,
      host: createHostMedia({ logger }),
      walkers,
    });
    return { ...result, stats: checksums.stats() };
  } finally {
    await checksums.close();
  }
}

/** Every file's content and mtime under a tree, to prove a run changed nothing. */
export function snapshotTree(root: string): Record<string, string> {
  const snapshot: Record<string, string> = {};
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        snapshot[`${path}/`] = String(statSync(path).mtimeMs);
        visit(path);
      } else if (entry.isFile()) {
        snapshot[path] = `${statSync(path).mtimeMs} ${readFileSync(path).toString('base64')}`;
      }
    }
  };
  visit(root);
  return snapshot;
}
