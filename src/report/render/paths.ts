// Copies grouped by location: the location's directory once, each copy's path relative to it.
import type { Copy } from '../../model.js';

/**
 * The directory all of a dataset's copies at each location lie under ("/backup/erp/",
 * "s3://bucket/erp/", "media:T0001/"): the longest common prefix of their paths, cut after a "/".
 * An evidence list or a table then names that directory once instead of in every item.
 */
export function locationDirs(copies: Iterable<Copy>): Map<string, string> {
  const prefixes = new Map<string, string>();
  for (const copy of copies) {
    const prefix = prefixes.get(copy.location);
    prefixes.set(copy.location, prefix === undefined ? copy.path : commonPrefix(prefix, copy.path));
  }
  const dirs = new Map<string, string>();
  for (const [location, prefix] of prefixes) dirs.set(location, prefix.slice(0, prefix.lastIndexOf('/') + 1));
  return dirs;
}

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i === a.length ? a : a.slice(0, i);
}

/** A path relative to its location's directory; a path elsewhere (or a directory of none) stays whole. */
export function relativeTo(dir: string | undefined, path: string): string {
  return dir && path.startsWith(dir) && path.length > dir.length ? path.slice(dir.length) : path;
}

/** A copy id is `${location}:${path}`, and location ids hold no colon (config schema). */
export function splitCopyId(id: string): { location: string; path: string } {
  const colon = id.indexOf(':');
  return colon < 0 ? { location: '', path: id } : { location: id.slice(0, colon), path: id.slice(colon + 1) };
}

/** Items by a key, keys in the order they first appear (a table keeps the order the sources gave). */
export function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
