// The disk source: finds each dataset's copies in a directory tree, read-only, and hashes them.
import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { DiskLocationConfig } from '../config/types.js';
import { errnoCode, errorMessage } from '../errors.js';
import type { PathMedium } from '../host/types.js';
import type { Copy, LocationStatus, RestorePath, SourceIssue, SourceResult, SourceState } from '../model.js';
import { directoryCopyJobs, fileCopyJob, type HashJob, runHashJobs } from './disk-hash.js';
import { compilePattern } from './disk-patterns.js';
import { createRecordedLookup } from './disk-recorded.js';
import { summariseTree } from './disk-tree.js';
import { ENTRIES_PER_PAUSE, type WalkContext, type WalkMatch, walkPattern } from './disk-walk.js';
import type { Source, SourceContext } from './source.js';

export function createDiskSource(location: DiskLocationConfig): Source {
  return { id: location.id, type: 'disk', inventory: (ctx) => inventoryDisk(location, ctx) };
}

/** Why the location as a whole cannot be read, as an error issue; undefined when it is a readable directory. */
function checkRoot(path: string): SourceIssue | undefined {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats) return { severity: 'error', code: 'B321_LOCATION_MISSING', message: `location directory does not exist: ${path}`, path };
    if (!stats.isDirectory()) return { severity: 'error', code: 'B321_NOT_A_DIRECTORY', message: `location is not a directory: ${path}`, path };
    return undefined;
  } catch (error) {
    const code = errnoCode(error) === 'EACCES' ? 'B321_EACCES' : 'B321_LOCATION_MISSING';
    return { severity: 'error', code, message: `cannot reach location ${path}: ${errorMessage(error)}`, path };
  }
}

function stateOf(issues: SourceIssue[]): SourceState {
  if (issues.some((found) => found.severity === 'error')) return 'unreadable';
  return issues.length > 0 ? 'degraded' : 'ok';
}

async function mediumOf(location: DiskLocationConfig, ctx: SourceContext, issues: SourceIssue[]): Promise<PathMedium> {
  try {
    return await ctx.host.resolve(location.path);
  } catch (error) {
    // Without the host's answer the location still has copies; its own st_dev is a safe failure domain.
    issues.push({ severity: 'warning', code: 'B321_HOST_MEDIA', message: `cannot resolve the medium of ${location.path}: ${errorMessage(error)}`, path: location.path });
    const dev = statSync(location.path, { throwIfNoEntry: false })?.dev;
    return { medium: 'disk', device: `dev:${dev ?? location.path}`, mount: '', fsType: '', source: '', removable: false, network: false };
  }
}

function restorePathOf(location: DiskLocationConfig): RestorePath {
  const restore: RestorePath = { retrievalMs: location.retrievalMs };
  if (location.throughputBytesPerSec !== undefined) {
    restore.throughputBytesPerSec = location.throughputBytesPerSec;
    restore.throughputSource = 'configured';
  }
  return restore;
}

async function inventoryDisk(location: DiskLocationConfig, ctx: SourceContext): Promise<SourceResult> {
  const started = performance.now();
  const root = location.path.length > 1 ? location.path.replace(/\/+$/, '') : location.path;
  const issues: SourceIssue[] = [];
  const copies: Copy[] = [];
  const status: LocationStatus = { id: location.id, type: 'disk', status: 'ok', copies: 0, issues, facts: { path: root }, durationMs: 0 };
  const finish = (): SourceResult => {
    status.status = stateOf(issues);
    status.copies = copies.length;
    status.durationMs = Math.round(performance.now() - started);
    return { copies, status };
  };

  const rootProblem = checkRoot(root);
  if (rootProblem) {
    issues.push(rootProblem);
    return finish();
  }
  const host = await mediumOf(location, ctx, issues);
  Object.assign(status.facts, {
    mount: host.mount,
    fsType: host.fsType,
    medium: host.medium,
    device: host.device,
    source: host.source,
    removable: host.removable,
    network: host.network,
  });
  const medium = location.medium ?? host.medium;
  const device = location.device ?? host.device;
  const restore = restorePathOf(location);
  const recordedFor = createRecordedLookup(issues);
  const jobs: HashJob[] = [];
  let listed = 0;

  const walk: WalkContext = {
    root,
    dataset: '',
    followSymlinks: location.followSymlinks,
    issues,
    budget: ENTRIES_PER_PAUSE,
    listed: () => {
      listed += 1;
      ctx.progress?.({ location: location.id, phase: 'walk', done: listed });
    },
    pause: async () => {
      await yieldToEventLoop();
      if (ctx.signal?.aborted) throw ctx.signal.reason ?? new Error('aborted');
    },
  };

  try {
    for (const dataset of ctx.datasets) {
      walk.dataset = dataset.dataset;
      const seen = new Set<string>();
      for (const pattern of dataset.patterns) {
        const compiled = compilePattern(pattern);
        const matches: WalkMatch[] = [];
        let matched = 0;
        await walkPattern(walk, compiled, (match) => {
          matched += 1;
          if (!seen.has(match.path)) {
            seen.add(match.path);
            matches.push(match);
          }
        });
        if (matched === 0) {
          issues.push({ severity: 'warning', code: 'B321_NO_MATCH', message: `pattern "${pattern}" matches nothing in ${root}`, dataset: dataset.dataset, path: root });
        }
        for (const match of matches) {
          const copy: Copy = {
            id: `${location.id}:${match.path}`,
            dataset: dataset.dataset,
            location: location.id,
            locationType: 'disk',
            path: match.path,
            name: match.name,
            kind: match.kind,
            role: dataset.role,
            bytes: 0,
            modifiedAt: '',
            medium,
            device,
            offline: false,
            restore,
          };
          if (match.kind === 'file') {
            copy.bytes = match.size;
            copy.modifiedAt = new Date(match.mtimeMs).toISOString();
            const recorded = recordedFor(match, dataset.dataset);
            if (recorded) copy.recorded = recorded;
            jobs.push(fileCopyJob(copy, match, issues));
          } else {
            const tree = await summariseTree(walk, match);
            copy.bytes = tree.bytes;
            copy.modifiedAt = new Date(tree.newestMtimeMs).toISOString();
            for (const job of directoryCopyJobs(copy, tree.files, tree.incomplete, issues, ctx.now)) jobs.push(job);
          }
          copies.push(copy);
        }
      }
    }
    await runHashJobs(jobs, {
      checksums: ctx.checksums,
      deep: ctx.deep,
      concurrency: Math.max(4, 2 * availableParallelism()),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onDone: (done, total) => ctx.progress?.({ location: location.id, phase: 'hash', done, total }),
    });
  } catch (error) {
    // Only an abort gets here: every filesystem failure above is already an issue.
    issues.push({ severity: 'error', code: 'B321_ABORTED', message: `inventory of ${root} stopped: ${errorMessage(error)}`, path: root });
  }
  if (ctx.signal?.aborted && !issues.some((found) => found.code === 'B321_ABORTED')) {
    issues.push({ severity: 'error', code: 'B321_ABORTED', message: `inventory of ${root} stopped: aborted`, path: root });
  }
  return finish();
}
