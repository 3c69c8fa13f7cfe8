// The directories of one pattern's walk, each a job for whichever thread reads it, and what the walk does
// with a listing: reports its matches, and queues its further parts and the directories that may hold more.
import {
  type DirectoryJob,
  type DirectoryListing,
  ENTRY_FILE,
  type HashWhileListing,
  NUMBERS_PER_ENTRY,
  type PatternRule,
} from './directory-job.js';
import { type ChecksumFiles, checksumFilesOf, fileMatch } from './file-match.js';
import { inChain, joinPath, keyOf, withoutSlash } from './walk-entries.js';
import { statFailed, warnOnce } from './walk-issues.js';
import type { Chain, WalkContext, WalkMatch } from './walk-types.js';

/** Entries stated per job: no call holds a thread (this one included) for more than a few ms. */
const ENTRIES_PER_JOB = 1024;

/** A directory of the walk, in the order it was found; its listing comes from a thread or from here. */
export interface Visit {
  job: DirectoryJob;
  depth: number;
  chain: Chain;
  answer: Promise<DirectoryListing> | undefined;
  listing: DirectoryListing | undefined;
  /** A further part of a directory: its checksum files, as its first part found them. */
  checksums?: ChecksumFiles;
}

/** What every directory job of one pattern's walk has in common. */
export interface VisitTemplate {
  maxDepth: number;
  followSymlinks: boolean;
  confinedTo: string | undefined;
  rule: PatternRule;
  hash: HashWhileListing | undefined;
  matchedBefore: WalkContext['matchedBefore'];
}

/** A directory to visit. Module-level: a closure made per pattern deoptimised its caller at each new pattern. */
export function newVisit(template: VisitTemplate, path: string, relative: string, depth: number, chain: Chain): Visit {
  const { hash } = template;
  const before = hash === undefined ? undefined : template.matchedBefore;
  const matchedBefore = before === undefined ? undefined : before(withoutSlash(path));
  return {
    job: {
      path,
      relative,
      subdirectoriesMayMatch: depth + 1 < template.maxDepth,
      followSymlinks: template.followSymlinks,
      pattern: template.rule,
      entriesPerJob: ENTRIES_PER_JOB,
      ...(template.confinedTo === undefined ? {} : { confinedTo: template.confinedTo }),
      ...(hash ? { hash } : {}),
      ...(matchedBefore ? { matchedBefore } : {}),
    },
    depth,
    chain,
    answer: undefined,
    listing: undefined,
  };
}

/**
 * Acts on one directory's listing, in its order: reports the matching files and directories, queues
 * the directories that may hold more, and the further parts of a big directory. A synchronous
 * function of its own, so its per-entry loop is compiled alone, not with the async walk around it.
 */
export function actOnListing(
  ctx: WalkContext,
  visit: Visit,
  listing: DirectoryListing,
  onMatch: (match: WalkMatch) => void,
  template: VisitTemplate,
  visits: Array<Visit | undefined>,
): void {
  const { path } = visit.job;
  let checksums = visit.checksums;
  if (!checksums) {
    ctx.listed(path);
    checksums = checksumFilesOf(path, listing);
  }
  const { sidecars, manifests } = checksums;
  for (const part of listing.parts) {
    visits.push({ ...visit, job: { ...visit.job, part }, answer: undefined, listing: undefined, checksums });
  }
  for (const failure of listing.failures) {
    statFailed(ctx, joinPath(path, failure.name), failure.code, failure.message);
  }
  const { names, kinds, stats, matched } = listing;
  // One string per entry (prefix + name), not two: a million copies keep their paths to the end.
  const prefix = path.endsWith('/') ? path : `${path}/`;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const entryPath = prefix + name;
    const at = i * NUMBERS_PER_ENTRY;
    const dev = stats[at] as number;
    const ino = stats[at + 1] as number;
    const mtimeMs = stats[at + 3] as number;
    if (kinds[i] === ENTRY_FILE) {
      const size = stats[at + 2] as number;
      const ctimeMs = stats[at + 4] as number;
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
    if (inChain(visit.chain, key)) {
      warnOnce(ctx, 'B321_SYMLINK_LOOP', { path: entryPath });
    } else if (matched[i] === 1) {
      onMatch({ kind: 'directory', path: entryPath, name, mtimeMs, dev, ino, chain: visit.chain });
    } else {
      const relative = visit.job.relative === '' ? name : `${visit.job.relative}/${name}`;
      visits.push(newVisit(template, entryPath, relative, visit.depth + 1, { key, parent: visit.chain }));
    }
  }
}
