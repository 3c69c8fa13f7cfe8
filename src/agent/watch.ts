// Watches the targets (watch-targets.ts) and reports changes once they have settled (settle.ts).
// Only directories are watched: one inotify watch each, never one per file (chokidar would add a watch
// per file it tracks; files are ignored here and their changes read from the directory's own events),
// so a tree of 200,000 files in 2,000 directories takes about 2,000 watches. Read-only: readdir, lstat
// and inotify. When the system's limit on watches or inotify instances is reached, the watcher is closed,
// one warning says the agent falls back to its schedule, and watching is not tried again.
import type { Stats } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import type { Logger } from 'pino';
import { createSettler } from './settle.js';
import { locationsAffectedBy, type WatchTarget } from './watch-targets.js';

export interface SettledChange {
  /** Location ids whose watched paths changed, in config order. */
  locations: string[];
  /** The drill log changed. */
  drills: boolean;
  /** The paths that changed and then stayed still for settleMs. */
  paths: string[];
}

export interface WatchOptions {
  targets: WatchTarget[];
  /** How long a changed file's size and mtime must stay the same before it counts (`watch.settle`). */
  settleMs: number;
  logger: Logger;
  onSettled: (change: SettledChange) => void;
  /** How often changed paths are stat'ed while they settle (default settleMs / 4, between 100 ms and 5 s). */
  pollIntervalMs?: number;
  /** A monotonic clock in ms for the settle (default performance.now). */
  now?: () => number;
}

export interface Watch {
  /** Resolves once the initial scan is done (or watching gave up): changes from then on are seen. */
  ready: Promise<void>;
  close(): Promise<void>;
  /** Watching gave up (the system's inotify limits): the agent runs on its schedule only. */
  readonly degraded: boolean;
}

/** inotify_add_watch's ENOSPC (max_user_watches) and inotify_init's EMFILE (max_user_instances). */
const LIMIT_CODES = new Set(['ENOSPC', 'EMFILE']);

export function startWatch(options: WatchOptions): Watch {
  const { targets, settleMs, logger, onSettled } = options;
  const pollIntervalMs = options.pollIntervalMs ?? Math.min(Math.max(settleMs / 4, 100), 5000);
  let degraded = false;
  let closed = false;
  // Other errors (a directory that may not be read) are logged once per code: a tree of denied directories
  // must not flood the log.
  const reported = new Set<string | undefined>();

  const settler = createSettler({
    settleMs,
    pollIntervalMs,
    ...(options.now ? { now: options.now } : {}),
    onSettled: (paths) => {
      const { locations, drills } = locationsAffectedBy(paths, targets);
      if (locations.length === 0 && !drills) return;
      logger.debug({ locations, drills, paths: paths.length }, 'changes settled');
      try {
        onSettled({ locations, drills, paths });
      } catch (error) {
        logger.error({ err: error, locations, drills }, 'the re-evaluation after a change failed to start');
      }
    },
    onError: (error) => logger.error({ err: error }, 'checking changed paths failed'),
  });

  // chokidar is given each directory's real path (it does not enter a directory named through a symbolic
  // link when followSymlinks is off); paths it reports are mapped back to the names the config uses.
  let named = (path: string) => path;
  const watched = (directory: string) => targets.some((t) => t.directory === directory || t.holds(directory));
  // Called with stats for every entry chokidar reads: files are never tracked one by one.
  const ignored = (path: string, stats?: Stats) =>
    stats !== undefined && (!stats.isDirectory() || !watched(named(path)));
  const noteIfTargeted = (seen: string) => {
    const path = named(seen);
    if (settler.has(path) || targets.some((t) => t.matches(path) || t.holds(path))) settler.note(path);
  };

  const directories = [...new Set(targets.map((t) => t.directory))];
  let watcher: FSWatcher | undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const giveUp = (error: NodeJS.ErrnoException) => {
    if (degraded || closed) return;
    degraded = true;
    logger.warn(
      { code: error.code, detail: error.message },
      'watching stopped: the system limit on inotify watches or instances is reached (fs.inotify.max_user_watches, max_user_instances); the agent falls back to its schedule',
    );
    settler.stop();
    void watcher?.close();
    markReady();
  };

  const start = async () => {
    const real = await realPaths(directories);
    for (const directory of directories.filter((d) => !real.has(d))) {
      logger.info({ directory }, 'not watched, missing at start: its changes are found by the scheduled runs');
    }
    if (closed) return;
    named = namesFor(real);
    const present = [...new Set(real.values())];
    if (present.length === 0) {
      logger.info({ targets: targets.length }, 'nothing to watch: changes are found by the scheduled runs');
      return markReady();
    }
    watcher = watch(present, {
      ignoreInitial: true,
      followSymlinks: false,
      // The settle below replaces awaitWriteFinish (a poll of every file written) and atomic's delays.
      atomic: false,
      usePolling: false,
      persistent: true,
      ignored,
    });
    // A directory's own inotify events name the entry that changed: the file writes a backup job makes.
    watcher.on('raw', (_event, name, details) => {
      const directory = (details as { watchedPath?: string } | undefined)?.watchedPath;
      if (directory && name) noteIfTargeted(join(directory, name));
    });
    watcher.on('addDir', noteIfTargeted);
    watcher.on('unlinkDir', noteIfTargeted);
    watcher.on('error', (error: unknown) => {
      const failure = error as NodeJS.ErrnoException;
      if (failure.code && LIMIT_CODES.has(failure.code)) return giveUp(failure);
      if (reported.has(failure.code)) return;
      reported.add(failure.code);
      logger.warn({ code: failure.code, detail: failure.message }, 'a watched directory could not be watched');
    });
    watcher.on('ready', () => {
      logger.info({ directories: present.length, targets: targets.length, settleMs }, 'watching');
      markReady();
    });
  };
  start().catch((error) => {
    logger.error({ err: error }, 'watching could not start: the agent falls back to its schedule');
    degraded = true;
    markReady();
  });

  return {
    ready,
    async close() {
      closed = true;
      settler.stop();
      markReady();
      await watcher?.close();
    },
    get degraded() {
      return degraded;
    },
  };
}

/** Each directory that exists, with its real path. */
async function realPaths(directories: string[]): Promise<Map<string, string>> {
  const found = await Promise.all(directories.map((directory) => realpath(directory).catch(() => undefined)));
  return new Map(directories.flatMap((directory, i) => (found[i] ? [[directory, found[i]] as [string, string]] : [])));
}

/** Maps a path under a real directory back to the config's name for it (the longest real prefix wins). */
function namesFor(real: Map<string, string>): (path: string) => string {
  const pairs = [...real].filter(([name, path]) => name !== path).sort((a, b) => b[1].length - a[1].length);
  if (pairs.length === 0) return (path) => path;
  return (path) => {
    for (const [name, realPath] of pairs) {
      if (path === realPath) return name;
      if (path.startsWith(`${realPath}/`)) return name + path.slice(realPath.length);
    }
    return path;
  };
}
