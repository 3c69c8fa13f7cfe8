// The disk source: finds each dataset's copies in a directory tree, read-only, and hashes them.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { DiskLocationConfig } from '../../config/types.js';
import { errorMessage } from '../../errors.js';
import { sourceIssue } from '../../issues.js';
import type { Copy, LocationStatus, SourceIssue, SourceResult } from '../../model.js';
import { type Source, type SourceContext, sourceState } from '../source.js';
import { createCopyMaker } from './copies.js';
import { type CopyChecksums, createCopyChecksums } from './copy-checksums.js';
import { findDatasetCopies, type LocationInventory } from './dataset-copies.js';
import { createElsewhere } from './elsewhere.js';
import { checkRoot, giveHostAnswer, mediumOf } from './location.js';
import { createDiskRereads } from './rereads.js';
import { ENTRIES_PER_PAUSE, type WalkContext } from './walk-types.js';

/** --deep: the reading threads hash files up to 1 MiB as they list them, up to 64 MiB a job; bigger ones go to the hash pool. */
const HASH_WHILE_LISTING = { below: 1024 * 1024, budget: 64 * 1024 * 1024 } as const;

export function createDiskSource(location: DiskLocationConfig): Source {
  return { id: location.id, type: 'disk', inventory: (ctx) => inventoryDisk(location, ctx) };
}

async function inventoryDisk(location: DiskLocationConfig, ctx: SourceContext): Promise<SourceResult> {
  const started = performance.now();
  const root = location.path.length > 1 ? location.path.replace(/\/+$/, '') : location.path;
  const issues: SourceIssue[] = [];
  const copies: Copy[] = [];
  const status: LocationStatus = {
    id: location.id,
    type: 'disk',
    status: 'ok',
    copies: 0,
    issues,
    facts: { path: root },
    durationMs: 0,
  };
  const finish = (): SourceResult => {
    status.status = sourceState(issues);
    status.copies = copies.length;
    status.durationMs = Math.round(performance.now() - started);
    return { copies, status };
  };

  const rootCheck = checkRoot(root);
  if ('problem' in rootCheck) {
    issues.push(rootCheck.problem);
    return finish();
  }
  // Asked now, answered while the walk runs (the host probe may start a process): every copy gets
  // the answer once both are done.
  const hostIssues: SourceIssue[] = [];
  const hostAnswer = mediumOf(root, ctx.host, hostIssues);
  const makeCopy = createCopyMaker(location, issues);
  const rereads = ctx.offerRereads ? createDiskRereads(location.id, ctx, issues) : undefined;
  const checksums = createCopyChecksums(ctx, location.id, issues, rereads);
  const inventory: LocationInventory = {
    root,
    walk: walkContext(location, root, ctx, issues, checksums),
    issues,
    copies,
    makeCopy,
    checksums,
    elsewhere: createElsewhere(rootCheck.dev),
  };
  // --deep: the reading threads hash as they list; an abort must stop that at once, not at the walk's
  // next pause (a thread may hold a dozen directories of small files still to hash).
  const stopHashing = (): void => ctx.walkers?.stopHashing();
  if (ctx.deep) {
    if (ctx.signal?.aborted) stopHashing();
    ctx.signal?.addEventListener('abort', stopHashing, { once: true });
  }
  try {
    for (const dataset of ctx.datasets) await findDatasetCopies(inventory, dataset);
  } catch (error) {
    // Only an abort gets here: every filesystem failure above is already an issue.
    issues.push(sourceIssue('B321_ABORTED', { root, detail: errorMessage(error) }, { severity: 'error', path: root }));
  } finally {
    ctx.signal?.removeEventListener('abort', stopHashing);
  }
  // Also after an abort: the hash queue then ends these at once as 'aborted'.
  await checksums.lookUpWaiting();
  const host = await hostAnswer;
  issues.push(...hostIssues);
  giveHostAnswer(location, host, status, copies);
  // After the location's answer (and its overrides): a copy on another filesystem gets that one's.
  await inventory.elsewhere.resolve(host, (path) => mediumOf(path, ctx.host, issues), issues);
  // Always drained, also after an abort: queued jobs then end at once as 'aborted'.
  await checksums.finish();
  if (ctx.signal?.aborted && !issues.some((found) => found.code === 'B321_ABORTED')) {
    const detail = errorMessage(ctx.signal.reason ?? 'aborted');
    issues.push(sourceIssue('B321_ABORTED', { root, detail }, { severity: 'error', path: root }));
  }
  if (rereads && !ctx.signal?.aborted) ctx.offerRereads?.(rereads.offer());
  return finish();
}

/** How the location's walk reports progress, pauses (the checksums' back-pressure) and stops on an abort. */
function walkContext(
  location: DiskLocationConfig,
  root: string,
  ctx: SourceContext,
  issues: SourceIssue[],
  checksums: CopyChecksums,
): WalkContext {
  let listed = 0;
  return {
    root,
    dataset: '',
    followSymlinks: location.followSymlinks,
    issues,
    budget: ENTRIES_PER_PAUSE,
    ...(ctx.walkers ? { walkers: ctx.walkers } : {}),
    ...(ctx.deep ? { hashWhileListing: HASH_WHILE_LISTING } : {}),
    // Set per dataset; present from the start (a property deleted later would slow every access).
    matchedBefore: undefined,
    reported: new Set(),
    refused: 0,
    listed: () => {
      listed += 1;
      ctx.progress?.({ location: location.id, phase: 'walk', done: listed });
    },
    pause: async () => {
      await yieldToEventLoop();
      await checksums.atPause();
      if (ctx.signal?.aborted) throw ctx.signal.reason ?? new Error('aborted');
    },
  };
}
