// What the watch tests and the measuring script share: a watcher on a fixture's config that records the
// changes, a target for a whole tree, and the count of this process's inotify watches.
import { readdirSync, readFileSync } from 'node:fs';
import pino from 'pino';
import type { Test } from 'tap';
import { type SettledChange, startWatch, type Watch, type WatchOptions } from '../../src/agent/watch.js';
import { type WatchTarget, watchTargets } from '../../src/agent/watch-targets.js';
import type { WatchFixture } from './watch-fixture.js';

/** Starts a watch on the fixture's targets, closed at teardown; resolves once its initial scan is done. */
export async function watching(
  t: Test,
  fixture: WatchFixture,
  options: Partial<WatchOptions> & { settleMs: number },
): Promise<{ watch: Watch; changes: SettledChange[] }> {
  const changes: SettledChange[] = [];
  const watch = startWatch({
    targets: watchTargets(fixture.config),
    logger: pino({ level: 'silent' }),
    onSettled: (change) => changes.push(change),
    ...options,
  });
  t.teardown(() => watch.close());
  await watch.ready;
  return { watch, changes };
}

/** Every file under root a match, every directory watched: the pattern "**" of a location at root. */
export function wholeTree(root: string): WatchTarget {
  const inside = (path: string) => path.startsWith(`${root}/`);
  return {
    directory: root,
    depth: Number.POSITIVE_INFINITY,
    owner: { kind: 'location', location: 'local' },
    source: 'pattern',
    pattern: '**',
    matches: inside,
    holds: inside,
  };
}

/** The inotify watches this process holds: the "inotify" lines of /proc/self/fdinfo. */
export function inotifyWatches(): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fdinfo')) {
    try {
      count += readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8').match(/^inotify /gm)?.length ?? 0;
    } catch {
      // An fd closed while listing.
    }
  }
  return count;
}
