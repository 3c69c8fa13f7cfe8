// The read-only tree walk of a disk location: synchronous listing and stat in batches (fast), with
// periodic yields so the event loop stays live, and every odd entry turned into a SourceIssue.
import { type Dirent, lstatSync, readdirSync, type Stats, statSync } from 'node:fs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { errnoCode, errorMessage } from '../../errors.js';
import { isChecksumFile, MANIFEST_NAMES } from '../../integrity/checksum-file.js';
import { readFailureCode } from '../common/read-failure.js';
import {
  type DirectoryJob,
  type DirectoryListing,
  ENTRY_FILE,
  FACTS_PER_ENTRY,
  type HashWhileListing,
  type PatternRule,
} from './directory-job.js';
import type { CompiledPattern } from './patterns.js';
import { S_IFMT, specialKind } from './read-directory.js';
import { issue, listFailed, refuse, refuseSpecial, statFailed, warnOnce } from './walk-issues.js';
import { readHere } from './walk-pool.js';
import type { Chain, FileFacts, FileMatch, WalkContext, WalkMatch } from './walk-types.js';

export const ENTRIES_PER_PAUSE = 2048;

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

/** Counts one entry; true when it is time to await ctx.pause(). Synchronous on purpose: an `await`
 *  per entry (a promise and a microtask each) made the walk twice as slow as find(1). */
export function pauseDue(ctx: WalkContext): boolean {
  ctx.budget -= 1;
  if (ctx.budget > 0) return false;
  ctx.budget = ENTRIES_PER_PAUSE;
  return true;
}

/** Lists a directory; a failure becomes an issue (EACCES is an error: the dataset cannot be judged). */
export function listDirectory(ctx: WalkContext, path: string): Dirent[] | undefined {
  try {
    const entries = readdirSync(path, { withFileTypes: true });
    ctx.listed(path);
    return entries;
  } catch (error) {
    listFailed(ctx, path, errnoCode(error) ?? '', errorMessage(error));
    return undefined;
  }
}

/**
 * Stats an entry (following symlinks when allowed); undefined with an issue when it vanished, dangles
 * or cannot be read. `lstat` is used only to tell "dangling symlink" from "vanished".
 */
export function statEntry(ctx: WalkContext, path: string, isSymlink: boolean): Stats | undefined {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats) return stats;
    const dangling = isSymlink && lstatSync(path, { throwIfNoEntry: false }) !== undefined;
    statFailed(ctx, path, dangling ? 'DANGLING' : 'ENOENT', '');
  } catch (error) {
    statFailed(ctx, path, errnoCode(error) ?? '', errorMessage(error));
  }
  return undefined;
}

/**
 * With followSymlinks off: the first symbolic link on the way from the location to a pattern's
 * base (the base included), which the walk must then not pass; undefined when there is none.
 */
function linkOnTheWay(root: string, base: string): string | undefined {
  let path = root;
  for (const part of base.split('/')) {
    if (part === '') continue;
    path = joinPath(path, part);
    let stats: Stats | undefined;
    try {
      stats = lstatSync(path, { throwIfNoEntry: false });
    } catch {
      // Denied or not a directory on the way: the walk's own stat of the base reports it.
      return undefined;
    }
    if (!stats) return undefined;
    if (stats.isSymbolicLink()) return path;
  }
  return undefined;
}

function checksumFilesIn(directory: string, entries: Dirent[]): { sidecars: Set<string>; manifests: string[] } {
  const sidecars = new Set<string>();
  const manifests: string[] = [];
  for (const entry of entries) {
    if (!isChecksumFile(entry.name)) continue;
    if ((MANIFEST_NAMES as readonly string[]).includes(entry.name)) manifests.push(joinPath(directory, entry.name));
    else sidecars.add(entry.name);
  }
  return { sidecars, manifests };
}

/** Shared by the (usual) files with no checksum file beside them: one array instead of a million. */
const NONE: string[] = [];
const NO_SIDECARS = new Set<string>();

function fileMatch(
  path: string,
  name: string,
  stats: FileFacts,
  sidecarNames: Set<string>,
  directory: string,
  manifests: string[],
): FileMatch {
  const found =
    sidecarNames.size === 0 ? NONE : [`${name}.sha256`, `${name}.sha256sum`].filter((n) => sidecarNames.has(n));
  return {
    kind: 'file',
    path,
    name,
    dev: stats.dev,
    ino: stats.ino,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    ctimeMs: stats.ctimeMs,
    sidecars: found.length === 0 ? NONE : found.map((n) => joinPath(directory, n)),
    manifests: manifests.length === 0 ? NONE : manifests,
  };
}

/** A directory of the walk, in the order it was found; its listing comes from a thread or from here. */
interface Visit {
  job: DirectoryJob;
  depth: number;
  chain: Chain;
  answer: Promise<DirectoryListing> | undefined;
  listing: DirectoryListing | undefined;
  /** A further share of a directory: its checksum files, as its first share found them. */
  checksums?: { sidecars: Set<string>; manifests: string[] };
}

/** What every directory job of one pattern's walk shares. */
interface VisitTemplate {
  maxDepth: number;
  followSymlinks: boolean;
  rule: PatternRule;
  hash: HashWhileListing | undefined;
  matchedBefore: WalkContext['matchedBefore'];
}

/**
 * A directory to visit. Module-level, not a closure of walkPattern: a closure made per pattern was a
 * new call target at the next pattern, and V8 deoptimised the code calling it.
 */
function newVisit(template: VisitTemplate, path: string, relative: string, depth: number, chain: Chain): Visit {
  const { hash } = template;
  const before = hash === undefined ? undefined : template.matchedBefore;
  const matchedBefore = before === undefined ? undefined : before(withoutSlash(path));
  return {
    job: {
      path,
      relative,
      deeper: depth + 1 < template.maxDepth,
      followSymlinks: template.followSymlinks,
      pattern: template.rule,
      share: SHARE,
      ...(hash ? { hash } : {}),
      ...(matchedBefore ? { matchedBefore } : {}),
    },
    depth,
    chain,
    answer: undefined,
    listing: undefined,
  };
}

/** A directory's path as the directory part of its files' paths: "/data/" is "/data", "/" stays. */
export function withoutSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** Entries stated per job: at about 4 µs a stat, no call holds a thread (this one included) for more than a few ms. */
const SHARE = 1024;
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
  let startStats: Stats | undefined;
  try {
    startStats = statSync(start, { throwIfNoEntry: false });
  } catch (error) {
    // ENOTDIR/ELOOP on the way to the base just mean "nothing there"; a denied or failing read is an error.
    const code = readFailureCode(errnoCode(error));
    if (code) issue(ctx, code, { target: 'target.directory', path: start, detail: errorMessage(error) }, 'error');
  }
  // A missing base is reported once, as "no match", by the caller.
  if (!startStats) return;
  const name = start.slice(start.lastIndexOf('/') + 1);
  if (pattern.literal) {
    if (startStats.isFile() && !isChecksumFile(name)) {
      const directory = start.slice(0, start.lastIndexOf('/')) || '/';
      const { sidecars, manifests } = checksumFilesIn(directory, listDirectory(ctx, directory) ?? []);
      onMatch(fileMatch(start, name, startStats, sidecars, directory, manifests));
    } else if (startStats.isDirectory()) {
      onMatch({
        kind: 'directory',
        path: start,
        name,
        mtimeMs: startStats.mtimeMs,
        dev: startStats.dev,
        ino: startStats.ino,
        chain: rootChain,
      });
    } else if (!startStats.isFile()) refuseSpecial(ctx, start, specialKind(startStats.mode & S_IFMT));
    return;
  }
  if (!startStats.isDirectory()) return;
  const rule = pattern.rule;
  const followSymlinks = ctx.followSymlinks;
  const hash = ctx.walkers ? ctx.hashWhileListing : undefined;
  // Hashing threads that are still starting would leave the first directories to this thread, and
  // their files to the hash pool's threads (two more on the same cores).
  if (hash) await ctx.walkers?.ready();
  const template: VisitTemplate = {
    maxDepth: pattern.maxDepth,
    followSymlinks,
    rule,
    hash,
    matchedBefore: ctx.matchedBefore,
  };
  // Directories in the order they were found (breadth first), acted on strictly in that order
  // whichever thread read them first: two runs over the same tree report the same, in the same order.
  const visits: Array<Visit | undefined> = [
    newVisit(template, start, pattern.base, 0, { key: keyOf(startStats), parent: rootChain }),
  ];
  let head = 0;
  let unsent = 0;
  const sendAhead = () => {
    if (!ctx.walkers) return;
    for (; unsent < visits.length; unsent++) {
      const pending = visits[unsent] as Visit;
      if (pending.listing) continue;
      const answer = ctx.walkers.submit(pending.job);
      if (!answer) return;
      pending.answer = answer.then((listing) => {
        pending.listing = listing;
        return listing;
      });
    }
  };
  /**
   * Rather than wait idle for the threads, this thread reads the newest directory none of them has
   * (they keep taking the oldest); false when there is none.
   */
  const readOneAhead = (): boolean => {
    if (hash) return false;
    // Not beyond a window: every directory read ahead waits in memory until its turn (a cold run over
    // 1M files read ever further ahead while the hashing lagged, and peaked 180 MB higher).
    for (let i = Math.min(visits.length - 1, head + READ_AHEAD); i > head && i >= unsent; i--) {
      const pending = visits[i] as Visit;
      if (!pending.listing && !pending.answer) {
        pending.listing = readHere(pending.job);
        return true;
      }
    }
    return false;
  };
  while (head < visits.length) {
    if (unsent < head) unsent = head;
    sendAhead();
    const current = visits[head] as Visit;
    // Hashing: not sent because another walk (another location) filled the threads' queues. Wait for
    // room rather than read it here, where its files would not be hashed as they are listed.
    if (hash && !current.answer && !current.listing && ctx.walkers && (await ctx.walkers.room())) continue;
    // Not sent (no thread ready, or none at all): read here, now.
    if (!current.answer && !current.listing) current.listing = readHere(current.job);
    while (!current.listing) {
      if (readOneAhead()) {
        // A turn of the event loop lets the threads' answers in.
        await yieldToEventLoop();
        sendAhead();
      } else await current.answer;
    }
    const listing = current.listing;
    visits[head++] = undefined;
    if (listing.error) {
      listFailed(ctx, current.job.path, listing.error.code, listing.error.message);
      continue;
    }
    actOnListing(ctx, current, listing, onMatch, template, visits);
    // Every share counts (a further share lists nothing but states up to 1,024): a directory of a
    // million files still pauses every few thousand, for the hashing's back-pressure and an abort.
    ctx.budget -= Math.max(listing.listed, listing.stated);
    if (ctx.budget <= 0) {
      ctx.budget = ENTRIES_PER_PAUSE;
      await ctx.pause();
    }
    // Compact now and then so a wide tree's list does not keep every visited directory's slot.
    if (head > 4096 && head * 2 > visits.length) {
      visits.splice(0, head);
      unsent -= head;
      head = 0;
    }
  }
}

/**
 * Acts on one directory's listing, in its order: reports the matching files and directories, queues
 * the directories that may hold more, and the further shares of a big directory. A synchronous
 * function of its own, not part of walkPattern's loop: V8 compiles this per-entry loop on its own
 * while it runs (on-stack replacement), where inside walkPattern it compiled all of the async
 * function for it (20–45 ms a time), again after each of walkPattern's deopts.
 */
function actOnListing(
  ctx: WalkContext,
  current: Visit,
  listing: DirectoryListing,
  onMatch: (match: WalkMatch) => void,
  template: VisitTemplate,
  visits: Array<Visit | undefined>,
): void {
  const { path } = current.job;
  let checksums = current.checksums;
  if (!checksums) {
    ctx.listed(path);
    checksums = {
      sidecars: listing.sidecars.length === 0 ? NO_SIDECARS : new Set(listing.sidecars),
      manifests: listing.manifests.length === 0 ? NONE : listing.manifests.map((name) => joinPath(path, name)),
    };
  }
  const { sidecars, manifests } = checksums;
  for (const rest of listing.shares) {
    visits.push({ ...current, job: { ...current.job, rest }, answer: undefined, listing: undefined, checksums });
  }
  for (const failure of listing.failures) {
    statFailed(ctx, joinPath(path, failure.name), failure.code, failure.message);
  }
  const { names, kinds, facts, matched } = listing;
  // One string per entry (prefix + name), not two: a million copies keep their paths to the end.
  const prefix = path.endsWith('/') ? path : `${path}/`;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const entryPath = prefix + name;
    const at = i * FACTS_PER_ENTRY;
    const dev = facts[at] as number;
    const ino = facts[at + 1] as number;
    const mtimeMs = facts[at + 3] as number;
    if (kinds[i] === ENTRY_FILE) {
      const size = facts[at + 2] as number;
      const ctimeMs = facts[at + 4] as number;
      const match = fileMatch(entryPath, name, { dev, ino, size, mtimeMs, ctimeMs }, sidecars, path, manifests);
      const sha256 = listing.digests[i];
      if (sha256) {
        match.sha256 = sha256;
        match.hashedAt = listing.hashStartedAt;
      }
      onMatch(match);
      continue;
    }
    const key = keyOf({ dev, ino });
    if (inChain(current.chain, key)) {
      warnOnce(ctx, 'B321_SYMLINK_LOOP', { path: entryPath });
    } else if (matched[i] === 1) {
      onMatch({ kind: 'directory', path: entryPath, name, mtimeMs, dev, ino, chain: current.chain });
    } else {
      const relative = current.job.relative === '' ? name : `${current.job.relative}/${name}`;
      visits.push(newVisit(template, entryPath, relative, current.depth + 1, { key, parent: current.chain }));
    }
  }
}
