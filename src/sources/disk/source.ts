// The disk source: finds each dataset's copies in a directory tree, read-only, and hashes them.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { DiskLocationConfig } from '../../config/types.js';
import { formatDuration } from '../../config/units.js';
import { errorMessage } from '../../errors.js';
import { sourceIssue } from '../../issues.js';
import type { Copy, LocationStatus, SourceIssue, SourceResult } from '../../model.js';
import { type Source, type SourceContext, sourceState } from '../source.js';
import { type CopyMaker, createCopyMaker } from './copies.js';
import { type CopyChecksums, createCopyChecksums } from './copy-checksums.js';
import { findDatasetCopies, type LocationInventory } from './dataset-copies.js';
import { createElsewhere } from './elsewhere.js';
import { checkRoot, giveHostAnswer, mediumOf } from './location.js';
import { createDiskRereads } from './rereads.js';
import { LocationNotAnswering, type LocationReader, locationReader, type WalkPool, walkPoolFor } from './walk-pool.js';
import { ENTRIES_PER_PAUSE, type WalkContext } from './walk-types.js';

/** --deep: the reading threads hash files up to 1 MiB as they list them, up to 64 MiB a job; bigger ones go to the hash pool. */
const HASH_WHILE_LISTING = { below: 1024 * 1024, budget: 64 * 1024 * 1024 } as const;

export function createDiskSource(location: DiskLocationConfig): Source {
  return { id: location.id, type: 'disk', inventory: (ctx) => inventoryDisk(location, ctx) };
}

async function inventoryDisk(location: DiskLocationConfig, ctx: SourceContext): Promise<SourceResult> {
  // The product hands every location the run's reading threads; a caller without them gets a thread of
  // its own, since this thread never reads the location itself.
  const walkers = ctx.walkers ?? walkPoolFor(1);
  try {
    return await inventoryWith(location, ctx, walkers);
  } finally {
    if (!ctx.walkers) await walkers.close();
  }
}

async function inventoryWith(
  location: DiskLocationConfig,
  ctx: SourceContext,
  walkers: WalkPool,
): Promise<SourceResult> {
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
  // A read of the location that does not return in time (a hung mount): the location is given up on,
  // its hash jobs too, and the run goes on with the others.
  const givenUp = new AbortController();
  const reader = locationReader(location.id, location.readTimeoutMs, () =>
    givenUp.abort(new LocationNotAnswering(reader)),
  );
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, givenUp.signal]) : givenUp.signal;
  const locationCtx: SourceContext = { ...ctx, signal };
  const finish = (): SourceResult => {
    if (reader.stoppedAnswering) {
      const { path } = reader.stoppedAnswering;
      const within = formatDuration(location.readTimeoutMs);
      // What the location's reads said after it stopped answering are not findings about its copies.
      issues.splice(0, issues.length, ...issues.filter((found) => found.code !== 'B321_ABORTED'));
      issues.push(sourceIssue('B321_NOT_ANSWERING', { root, path, within }, { severity: 'error', path: root }));
    }
    status.status = sourceState(issues);
    status.copies = copies.length;
    status.durationMs = Math.round(performance.now() - started);
    return { copies, status };
  };

  const rootCheck = await checkRoot(root, walkers, reader).catch(notAnsweringOrThrow);
  if (rootCheck === undefined) return finish();
  if ('problem' in rootCheck) {
    issues.push(rootCheck.problem);
    return finish();
  }
  // Answered before the walk opens any file: the host probe may start a process (lsblk, blkid), and
  // a process started while a file of a hung FUSE mount is open here waits on that mount at its exec
  // (the kernel flushes the descriptor it inherited). Every copy gets the answer after the walk.
  const hostIssues: SourceIssue[] = [];
  const host = await mediumOf(root, ctx.host, hostIssues, walkers, reader).catch(notAnsweringOrThrow);
  // A location that stopped answering follows no link: its further reads fail at once anyway.
  const links = (await linksOf(location, root, walkers, reader).catch(notAnsweringOrThrow)) ?? NO_LINKS;
  const readText = (path: string, limit: number) =>
    walkers.probe({ probe: 'read-text', path, limit, ...links }, reader);
  const makeCopy = createCopyMaker(location, issues, readText);
  // The reader is also the hash threads' watch on this location's reads.
  const rereads = ctx.offerRereads ? createDiskRereads(location.id, locationCtx, issues, reader) : undefined;
  const checksums = createCopyChecksums(locationCtx, location.id, issues, reader, rereads);
  const inventory: LocationInventory = {
    root,
    walk: walkContext(location, links, root, locationCtx, issues, checksums, makeCopy, walkers, reader),
    issues,
    copies,
    makeCopy,
    checksums,
    elsewhere: createElsewhere(rootCheck.dev),
  };
  // --deep: the reading threads hash as they list; an abort must stop that at once, not at the walk's
  // next pause (a thread may hold a dozen directories of small files still to hash).
  const stopHashing = (): void => walkers.stopHashing();
  if (ctx.deep) {
    if (ctx.signal?.aborted) stopHashing();
    ctx.signal?.addEventListener('abort', stopHashing, { once: true });
  }
  try {
    for (const dataset of ctx.datasets) await findDatasetCopies(inventory, dataset);
  } catch (error) {
    // Only an abort (the run's, or the location not answering) gets here: every filesystem failure
    // above is already an issue.
    if (!reader.stoppedAnswering)
      issues.push(
        sourceIssue('B321_ABORTED', { root, detail: errorMessage(error) }, { severity: 'error', path: root }),
      );
  } finally {
    ctx.signal?.removeEventListener('abort', stopHashing);
  }
  // Also after an abort: the hash queue then ends these at once as 'aborted'.
  await checksums.lookUpWaiting();
  issues.push(...hostIssues);
  if (host) {
    giveHostAnswer(location, host, status, copies);
    // After the location's answer (and its overrides): a copy on another filesystem gets that one's.
    await inventory.elsewhere
      .resolve(host, (path) => mediumOf(path, ctx.host, issues, walkers, reader), issues)
      .catch(notAnsweringOrThrow);
  }
  // Always drained, also after an abort: queued jobs then end at once as 'aborted'.
  await checksums.finish();
  if (ctx.signal?.aborted && !issues.some((found) => found.code === 'B321_ABORTED')) {
    const detail = errorMessage(ctx.signal.reason ?? 'aborted');
    issues.push(sourceIssue('B321_ABORTED', { root, detail }, { severity: 'error', path: root }));
  }
  if (rereads && !ctx.signal?.aborted) ctx.offerRereads?.(rereads.offer());
  return finish();
}

/** A probe of a location that stopped answering rejects: the location's answer is then "not answering". */
function notAnsweringOrThrow(error: unknown): undefined {
  if (error instanceof LocationNotAnswering) return undefined;
  throw error;
}

/** Which links the location's reads follow (WalkContext.followSymlinks and confinedTo). */
interface LinkRule {
  followSymlinks: boolean;
  confinedTo: string | undefined;
}

const NO_LINKS: LinkRule = { followSymlinks: false, confinedTo: undefined };

/**
 * followSymlinks "inside" confines links to the root's real path, resolved once on a walk thread: a
 * location whose own path is a link (or passes through one) still holds what is below where it leads.
 */
async function linksOf(
  location: DiskLocationConfig,
  root: string,
  walkers: WalkPool,
  reader: LocationReader,
): Promise<LinkRule> {
  if (location.followSymlinks !== 'inside') return { followSymlinks: location.followSymlinks, confinedTo: undefined };
  const { real } = await walkers.probe({ probe: 'realpath', path: root }, reader);
  return { followSymlinks: true, confinedTo: real };
}

/** How the location's walk reports progress, pauses (the checksums' back-pressure) and stops on an abort. */
function walkContext(
  location: DiskLocationConfig,
  links: LinkRule,
  root: string,
  ctx: SourceContext,
  issues: SourceIssue[],
  checksums: CopyChecksums,
  makeCopy: CopyMaker,
  walkers: WalkPool,
  reader: LocationReader,
): WalkContext {
  let listed = 0;
  return {
    root,
    dataset: '',
    ...links,
    issues,
    budget: ENTRIES_PER_PAUSE,
    walkers,
    reader,
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
      await Promise.all([checksums.atPause(), makeCopy.settleRecorded()]);
      if (ctx.signal?.aborted) throw ctx.signal.reason ?? new Error('aborted');
    },
  };
}
