// The read-only tree walk of a disk location: a pattern's directories read breadth first by the reading
// threads, acted on here in the order they were found, with pauses that keep the event loop live. This
// thread never reads the location itself: a hung mount holds a reading thread, never the event loop.
import { S_IFDIR, S_IFMT } from './file-modes.js';
import { linkOnTheWay, matchLiteral, statBase } from './pattern-base.js';
import type { CompiledPattern } from './patterns.js';
import { failedListing } from './read-directory.js';
import { actOnListing, newVisit, type Visit, type VisitTemplate } from './visits.js';
import { joinPath, keyOf } from './walk-entries.js';
import { listFailed, refuse } from './walk-issues.js';
import { LocationNotAnswering, type LocationReader, NOT_ANSWERING, type WalkPool } from './walk-pool.js';
import { type Chain, ENTRIES_PER_PAUSE, type WalkContext, type WalkMatch } from './walk-types.js';

/** Walks from the pattern's static base, reporting each matching file or directory exactly once. */
export async function walkPattern(
  ctx: WalkContext,
  pattern: CompiledPattern,
  onMatch: (match: WalkMatch) => void,
): Promise<void> {
  const start = pattern.base === '' ? ctx.root : joinPath(ctx.root, pattern.base);
  // Not followed also where the pattern itself names a link, or a directory on its way.
  if (!ctx.followSymlinks || ctx.confinedTo !== undefined) {
    const { link, target } = await linkOnTheWay(ctx, pattern.base);
    if (link !== undefined) {
      if (target === undefined) refuse(ctx, 'B321_SYMLINK_NOT_FOLLOWED', { path: link });
      else refuse(ctx, 'B321_SYMLINK_OUTSIDE_LOCATION', { path: link, target });
      return;
    }
  }
  const rootStats = (await ctx.walkers.probe({ probe: 'stat', path: ctx.root, follow: true }, ctx.reader)).stat;
  const rootChain: Chain | undefined = rootStats ? { key: keyOf(rootStats), parent: undefined } : undefined;
  const startStats = await statBase(ctx, start);
  // A missing base is reported once, as "no match", by the caller.
  if (!startStats) return;
  if (pattern.literal) await matchLiteral(ctx, start, startStats, rootChain, onMatch);
  else if ((startStats.mode & S_IFMT) === S_IFDIR) {
    await walkTree(ctx, pattern, start, { key: keyOf(startStats), parent: rootChain }, onMatch);
  }
}

/**
 * The directories of one walk in the order they were found (breadth first), acted on strictly in that
 * order whichever thread read them first: two runs over the same tree report the same, in the same order.
 */
interface VisitQueue {
  visits: Array<Visit | undefined>;
  /** The next directory to act on. */
  head: number;
  /** The first directory not yet sent to a thread. */
  unsent: number;
}

/** Walks the tree below a pattern's base directory `start`. */
async function walkTree(
  ctx: WalkContext,
  pattern: CompiledPattern,
  start: string,
  startChain: Chain,
  onMatch: (match: WalkMatch) => void,
): Promise<void> {
  const hash = ctx.hashWhileListing;
  // Hashing threads that are still starting would leave the first directories' files to the hash
  // pool's threads (more threads on the same cores).
  if (hash) await ctx.walkers.ready();
  const template: VisitTemplate = {
    maxDepth: pattern.maxDepth,
    followSymlinks: ctx.followSymlinks,
    confinedTo: ctx.confinedTo,
    rule: pattern.rule,
    hash,
    matchedBefore: ctx.matchedBefore,
  };
  const queue: VisitQueue = { visits: [newVisit(template, start, pattern.base, 0, startChain)], head: 0, unsent: 0 };
  while (queue.head < queue.visits.length) {
    const visit = await listNext(ctx, queue);
    // It waited for room on the threads instead: send again.
    if (visit === undefined) continue;
    const listing = visit.listing as NonNullable<Visit['listing']>;
    if (listing.error?.code === NOT_ANSWERING && ctx.reader.stoppedAnswering)
      throw new LocationNotAnswering(ctx.reader);
    if (listing.error) {
      listFailed(ctx, visit.job.path, listing.error.code, listing.error.message);
      continue;
    }
    actOnListing(ctx, visit, listing, onMatch, template, queue.visits);
    // Every part counts (a further part lists nothing but states up to 1,024): a directory of a
    // million files still pauses every few thousand, for the hashing's back-pressure and an abort.
    ctx.budget -= Math.max(listing.listed, listing.stated);
    if (ctx.budget <= 0) {
      ctx.budget = ENTRIES_PER_PAUSE;
      await ctx.pause();
    }
    // Compact now and then so a wide tree's list does not keep every visited directory's slot.
    if (queue.head > 4096 && queue.head * 2 > queue.visits.length) {
      queue.visits.splice(0, queue.head);
      queue.unsent -= queue.head;
      queue.head = 0;
    }
  }
}

/** The next directory, listed by a thread, and taken off the queue; undefined when it waited for room on the threads. */
async function listNext(ctx: WalkContext, queue: VisitQueue): Promise<Visit | undefined> {
  if (queue.unsent < queue.head) queue.unsent = queue.head;
  sendAhead(ctx.walkers, ctx.reader, queue);
  const next = queue.visits[queue.head] as Visit;
  if (!next.answer && !next.listing) {
    // Every thread's queue is full (another location's walk shares them): wait for room, then send again.
    if (!(await ctx.walkers.untilJobAnswered())) next.listing = failedListing('ECANCELED', 'the walk ended');
    else return undefined;
  }
  if (!next.listing) await next.answer;
  queue.visits[queue.head++] = undefined;
  return next;
}

/** Hands the threads every directory not sent yet, as far as they take them. */
function sendAhead(walkers: WalkPool, reader: LocationReader, queue: VisitQueue): void {
  const { visits } = queue;
  for (; queue.unsent < visits.length; queue.unsent++) {
    const pending = visits[queue.unsent] as Visit;
    if (pending.listing) continue;
    const answer = walkers.submit(pending.job, reader);
    if (!answer) return;
    pending.answer = answer.then((listing) => {
      pending.listing = listing;
      return listing;
    });
  }
}
