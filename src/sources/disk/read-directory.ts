// Lists one directory of a disk walk and stats what the pattern needs: run by the walk's reading
// threads (walk-worker.ts) and, while no thread is ready, on the walk's own thread (walk-pool.ts).
import type { Dirent } from 'node:fs';
import { errnoOf, messageOf } from '../../system-error.js';
import { type Candidates, candidatesLeft, candidatesOf } from './directory-candidates.js';
import type { DirectoryJob, DirectoryListing, EntriesLeft, EntryFailure } from './directory-job.js';
import type { ListingHasher } from './listing-hasher.js';
import { type HashingNow, type StatingFs, stateCandidates } from './state-candidates.js';

/** What readDirectory uses of node:fs: tests hand in an fs that changes the tree at the moment it matters. */
export interface ListingFs extends StatingFs {
  readdirSync(path: string, options: { withFileTypes: true }): Dirent[];
}

/** A directory that could not be listed: its error, and nothing else. */
export function failedListing(code: string, message: string): DirectoryListing {
  return {
    error: { code, message },
    listed: 0,
    names: [],
    kinds: new Uint8Array(0),
    matched: new Uint8Array(0),
    facts: new Float64Array(0),
    failures: [],
    sidecars: [],
    manifests: [],
    stated: 0,
    shares: [],
    digests: [],
    bytesHashed: 0,
    hashStartedAt: 0,
  };
}

/** Reads one directory job. `hasher` is a reading thread's (the walk's own thread never hashes). */
export function readDirectory(fs: ListingFs, job: DirectoryJob, hasher?: ListingHasher): DirectoryListing {
  const failures: EntryFailure[] = [];
  // Only where a hasher is given (the reading threads): the walk's own thread never hashes.
  const hash: HashingNow | undefined =
    hasher === undefined || job.hash === undefined ? undefined : { hasher, ...job.hash };
  const hashStartedAt = hash === undefined ? 0 : Date.now();
  let candidates: Candidates;
  if (job.rest) candidates = candidatesLeft(job.rest);
  else {
    let entries: Dirent[];
    try {
      entries = fs.readdirSync(job.path, { withFileTypes: true });
    } catch (error) {
      return failedListing(errnoOf(error) ?? 'EIO', messageOf(error));
    }
    const before = hash !== undefined && job.matchedBefore !== undefined ? new Set(job.matchedBefore) : undefined;
    // One per job, not looked up in a cache: a cache's miss branch deoptimised this code once per pattern.
    const regex = new RegExp(job.pattern.source, job.pattern.flags);
    candidates = candidatesOf(job, entries, regex, before, failures);
  }
  const count = Math.min(candidates.names.length, job.share);
  const stated = stateCandidates(fs, job, candidates, count, hash, failures);
  return {
    error: null,
    listed: candidates.listed,
    names: stated.names,
    kinds: stated.kinds,
    matched: stated.matched,
    facts: stated.facts,
    failures,
    sidecars: candidates.sidecars,
    manifests: candidates.manifests,
    stated: count,
    shares: sharesAfter(candidates, count, job.share),
    digests: stated.digests,
    bytesHashed: stated.bytesHashed,
    hashStartedAt,
  };
}

/**
 * A huge directory is stated a share at a time, each share a job of its own: no call holds a thread
 * for long, and the shares spread over the threads. Cut once, by the first share: handing the whole
 * rest on from share to share copied it between threads again each time (quadratic in the entries).
 */
function sharesAfter(candidates: Candidates, count: number, share: number): EntriesLeft[] {
  const { names, flags } = candidates;
  const shares: EntriesLeft[] = [];
  for (let at = count; at < names.length; at += share) {
    const end = Math.min(names.length, at + share);
    shares.push({ names: names.slice(at, end), flags: flags.slice(at, end) });
  }
  return shares;
}
