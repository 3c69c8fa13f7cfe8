// What the agent watches, read from the config alone (no I/O): the offline-media logs, the drill log, and
// for each disk location each pattern's fixed base directory, as deep as the pattern can match. A change
// under a target re-evaluates only the location it belongs to (or the drills).
import { dirname, join } from 'node:path';
import type { Config, DiskLocationConfig } from '../config/types.js';
import { compilePattern } from '../sources/disk/patterns.js';

export type WatchOwner = { kind: 'location'; location: string } | { kind: 'drills' };

export interface WatchTarget {
  /** Absolute directory watched. */
  directory: string;
  /** Levels of subdirectories below `directory` watched as well: 0 for its entries only, Infinity for all. */
  depth: number;
  owner: WatchOwner;
  /** For logs and docs: an offline-media log, the drill log, or a disk location's pattern. */
  source: 'offline-log' | 'drill-log' | 'pattern';
  /** The disk pattern, as written in the config. */
  pattern?: string;
  /** True for an absolute path that the target stands for: the log itself, or what the pattern matches. */
  matches(path: string): boolean;
  /** True for an absolute directory below `directory` within `depth`: where new matches may appear. */
  holds(path: string): boolean;
}

export interface AffectedLocations {
  /** Location ids, in config order. */
  locations: string[];
  drills: boolean;
}

export function watchTargets(config: Config): WatchTarget[] {
  const targets: WatchTarget[] = [];
  for (const location of config.locations) {
    const owner: WatchOwner = { kind: 'location', location: location.id };
    if (location.type === 'offline-log') targets.push(fileTarget(location.path, owner, 'offline-log'));
    if (location.type !== 'disk') continue;
    // Copies only: a dataset's primary is the live data, which changes all day and is not a backup.
    const patterns = new Set(config.datasets.flatMap((dataset) => dataset.copies[location.id] ?? []));
    for (const pattern of patterns) targets.push(patternTarget(location, pattern, owner));
  }
  if (config.restoreDrills) targets.push(fileTarget(config.restoreDrills, { kind: 'drills' }, 'drill-log'));
  return targets;
}

export function locationsAffectedBy(paths: Iterable<string>, targets: WatchTarget[]): AffectedLocations {
  const locations = new Set<string>();
  let drills = false;
  for (const path of paths) {
    for (const target of targets) {
      if (!target.matches(path) && !target.holds(path)) continue;
      if (target.owner.kind === 'drills') drills = true;
      else locations.add(target.owner.location);
    }
  }
  const order = targets.flatMap((target) => (target.owner.kind === 'location' ? [target.owner.location] : []));
  return { locations: [...new Set(order)].filter((id) => locations.has(id)), drills };
}

/** A single file (a log): its directory is watched, because a log may be replaced rather than appended to. */
function fileTarget(path: string, owner: WatchOwner, source: WatchTarget['source']): WatchTarget {
  return {
    directory: dirname(path),
    depth: 0,
    owner,
    source,
    matches: (changed) => changed === path,
    holds: () => false,
  };
}

function patternTarget(location: DiskLocationConfig, pattern: string, owner: WatchOwner): WatchTarget {
  const compiled = compilePattern(pattern);
  const root = location.path;
  if (compiled.literal) {
    const named = join(root, compiled.base);
    return { ...fileTarget(named, owner, 'pattern'), pattern };
  }
  const directory = join(root, compiled.base);
  // maxDepth counts the levels below the base that can match; the deepest of them lies in directories one
  // level up, which is as deep as the watch must go (erp/*.dump: the entries of erp/ only).
  const depth = compiled.maxDepth - 1;
  return {
    directory,
    depth,
    owner,
    source: 'pattern',
    pattern,
    matches: (changed) => {
      const relative = below(changed, root);
      return relative !== undefined && compiled.matches(relative);
    },
    holds: (changed) => {
      const relative = below(changed, directory);
      return relative !== undefined && relative.split('/').length <= depth;
    },
  };
}

/** `path` relative to `directory` when it lies below it ("a/b"), else undefined. */
function below(path: string, directory: string): string | undefined {
  const prefix = directory.endsWith('/') ? directory : `${directory}/`;
  return path.startsWith(prefix) && path.length > prefix.length ? path.slice(prefix.length) : undefined;
}
