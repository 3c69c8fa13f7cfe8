// A WalkContext for walk tests: one dataset, symlinks followed, a pause that yields a turn; any field overridable.
import { locationReader, type WalkPool } from '../../../src/sources/disk/walk-pool.js';
import { ENTRIES_PER_PAUSE, type WalkContext } from '../../../src/sources/disk/walk-types.js';

export function walkContext(root: string, walkers: WalkPool, extra: Partial<WalkContext> = {}): WalkContext {
  return {
    root,
    dataset: 'd',
    followSymlinks: true,
    issues: [],
    budget: ENTRIES_PER_PAUSE,
    listed: () => {},
    pause: () => new Promise((resolve) => setImmediate(resolve)),
    walkers,
    reader: locationReader('test', 60_000),
    ...extra,
  };
}
