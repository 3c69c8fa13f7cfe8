// The read-only tree walk of a disk location: a pattern's directories read breadth first by the reading
// threads (or this one), acted on in the order they were found, with pauses that keep the event loop live.
import { statSync } from 'node:fs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { HashWhileListing } from './directory-job.js';
import { linkOnTheWay, matchLiteral, statBase } from './pattern-base.js';
import type { CompiledPattern } from './patterns.js';
import { actOnListing, newVisit, type Visit, type VisitTemplate } from './visits.js';
import { joinPath, keyOf } from './walk-entries.js';
import { listFailed, refuse } from './walk-issues.js';
import { readOnWalkThread, type WalkPool } from './walk-pool.js';
import { type Chain, ENTRIES_PER_PAUSE, type WalkContext, type WalkMatch } from './walk-types.js';

/** How far past the directory being reported the walk's own thread may read. */
const READ_AHEAD = 64;

/** Walks from the pattern's static base, reporting each matching file or directory exactly once. */
export async function walkPattern(
  ctx: WalkContext,
  pattern: CompiledPattern,
  onMatch: (match: WalkMatch) => void,
): Promise<void> {
  const start = pattern.base === '' ? ctx.root : joinPath(ctx.root, pattern.base);
  // Not followed also where the pattern itself names a link, or a directory on its way.
  const link = ctx.followSymlinks ? undefined : linkOnTheWay(ctx.root, pattern.base);
  if (link !== undefined) {
    refuse(ctx, 'B321_SYMLINK_NOT_FOLLOWED', { path: link });
    return;
  }
  const rootStats = statSync(ctx.root, { throwIfNoEntry: false });
  const rootChain: Chain | undefined = rootStats ? { key: keyOf(rootStats), parent: undefined } : undefined;
  const startStats = statBase(ctx, start);
  // A missing base is reported once, as "no match", by the caller.
  if (!startStats) return;
  if (pattern.literal) matchLiteral(ctx, start, startStats, rootChain, onMatch);
  else if (startStats.isDirectory()) {
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
  const hash = ctx.walkers ? ctx.hashWhileListing : undefined;
  // Hashing threads that are still starting would leave the first directories to this thread, and
  // their files to the hash pool's threads (two more on the same cores).
  if (hash) await ctx.walkers?.ready();
  const template: VisitTemplate = {
    maxDepth: pattern.maxDepth,
    followSymlinks: ctx.followSymlinks,
    rule: pattern.rule,
    hash,
    matchedBefore: ctx.matchedBefore,
  };
  const queue: VisitQueue = { visits: [newVisit(template, start, pattern.base, 0, startChain)], head: 0, unsent: 0 };
  while (queue.head < queue.visits.length) {
    const visit = await listNext(ctx, queue, hash);
    // It waited for room on the threads instead: send again.
    if (visit === undefined) continue;
    const listing = visit.listing as NonNullable<Visit['listing']>;
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

/**
 * The next directory, listed by a thread or this one, and taken off the queue; undefined when, rather
 * than read it here unhashed (--deep), the walk waited for room on the threads.
 */
async function listNext(
  ctx: WalkContext,
  queue: VisitQueue,
  hash: HashWhileListing | undefined,
): Promise<Visit | undefined> {
  if (queue.unsent < queue.head) queue.unsent = queue.head;
  sendAhead(ctx.walkers, queue);
  const next = queue.visits[queue.head] as Visit;
  // Hashing: not sent because another walk (another location) filled the threads' queues. Wait for
  // room rather than read it here, where its files would not be hashed as they are listed.
  if (hash && !next.answer && !next.listing && ctx.walkers && (await ctx.walkers.untilJobAnswered())) return undefined;
  // Not sent (no thread ready, or none at all): read here, now.
  if (!next.answer && !next.listing) next.listing = readOnWalkThread(next.job);
  while (!next.listing) {
    if (!hash && readOneAhead(queue)) {
      // A turn of the event loop lets the threads' answers in.
      await yieldToEventLoop();
      sendAhead(ctx.walkers, queue);
    } else await next.answer;
  }
  queue.visits[queue.head++] = undefined;
  return next;
}

/** Hands the threads every directory not sent yet, as far as they take them. */
function sendAhead(walkers: WalkPool | undefined, queue: VisitQueue): void {
  if (!walkers) return;
  const { visits } = queue;
  for (; queue.unsent < visits.length; queue.unsent++) {
    const pending = visits[queue.unsent] as Visit;
    if (pending.listing) continue;
    const answer = walkers.submit(pending.job);
    if (!answer) return;
    pending.answer = answer.then((listing) => {
      pending.listing = listing;
      return listing;
    });
  }
}

/**
 * Rather than wait idle for the threads, this thread reads the newest directory none of them has
 * (they keep taking the oldest); false when there is none.
 */
function readOneAhead(queue: VisitQueue): boolean {
  const { visits, head } = queue;
  // Not beyond a window: every directory read ahead waits in memory until its turn.
  for (let i = Math.min(visits.length - 1, head + READ_AHEAD); i > head && i >= queue.unsent; i--) {
    const pending = visits[i] as Visit;
    if (!pending.listing && !pending.answer) {
      pending.listing = readOnWalkThread(pending.job);
      return true;
    }
  }
  return false;
}
