// The walk's steps on this thread, one entry at a time: paths, loop keys, pauses, a directory's listing
// and an entry's stat, each failure an issue (the tree of a directory copy and literal patterns use them).
import { type Dirent, lstatSync, readdirSync, type Stats, statSync } from 'node:fs';
import { errnoOf, messageOf } from '../../errno.js';
import { listFailed, statFailed } from './walk-issues.js';
import { type Chain, ENTRIES_PER_PAUSE, type EntryContext, type WalkContext } from './walk-types.js';

/** Joins without normalising (the walk builds millions of paths); copes with a location at "/". */
export function joinPath(directory: string, name: string): string {
  return directory.endsWith('/') ? `${directory}${name}` : `${directory}/${name}`;
}

export function keyOf(stats: { dev: number; ino: number }): string {
  return `${stats.dev}:${stats.ino}`;
}

export function inChain(chain: Chain | undefined, key: string): boolean {
  for (let link = chain; link; link = link.parent) if (link.key === key) return true;
  return false;
}

/** Counts one entry; true when it is time to await ctx.pause(). Synchronous: an await per entry is a promise each. */
export function pauseDue(ctx: WalkContext): boolean {
  ctx.budget -= 1;
  if (ctx.budget > 0) return false;
  ctx.budget = ENTRIES_PER_PAUSE;
  return true;
}

/** Lists a directory; a failure becomes an issue (EACCES is an error: the dataset cannot be judged). */
export function listDirectory(ctx: EntryContext, path: string): Dirent[] | undefined {
  try {
    const entries = readdirSync(path, { withFileTypes: true });
    ctx.listed(path);
    return entries;
  } catch (error) {
    listFailed(ctx, path, errnoOf(error) ?? '', messageOf(error));
    return undefined;
  }
}

/**
 * Stats an entry (following symlinks when allowed); undefined with an issue when it vanished, dangles
 * or cannot be read. `lstat` is used only to tell "dangling symlink" from "vanished".
 */
export function statEntry(ctx: EntryContext, path: string, isSymlink: boolean): Stats | undefined {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats) return stats;
    const dangling = isSymlink && lstatSync(path, { throwIfNoEntry: false }) !== undefined;
    statFailed(ctx, path, dangling ? 'DANGLING' : 'ENOENT', '');
  } catch (error) {
    statFailed(ctx, path, errnoOf(error) ?? '', messageOf(error));
  }
  return undefined;
}

/** A directory's path as the directory part of its files' paths: "/data/" is "/data", "/" stays. */
export function withoutSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
