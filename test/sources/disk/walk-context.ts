// A WalkContext for walk tests: one dataset, symlinks followed, a pause that yields a turn; any field overridable.
import { ENTRIES_PER_PAUSE, type WalkContext } from '../../../src/sources/disk/walk-types.js';

export function walkContext(root: string, extra: Partial<WalkContext> = {}): WalkContext {
  return {
    root,
    dataset: 'd',
    followSymlinks: true,
    issues: [],
    budget: ENTRIES_PER_PAUSE,
    listed: () => {},
    pause: () => new Promise((resolve) => setImmediate(resolve)),
    ...extra,
  };
}
