// Lists one directory of a disk walk and stats what the pattern needs: run by the walk's reading
// threads (walk-worker.ts) and, while no thread is ready, on the walk's own thread (walk-pool.ts).
import type { Dirent } from 'node:fs';
import { errnoOf, messageOf } from '../../errno.js';
import { type Candidates, candidatesOf, candidatesOfPart } from './directory-candidates.js';
import type { DirectoryJob, DirectoryListing, DirectoryPart, EntryFailure } from './directory-job.js';
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
    stats: new Float64Array(0),
    failures: [],
    sidecars: [],
    manifests: [],
    stated: 0,
    parts: [],
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
  if (job.part) candidates = candidatesOfPart(job.part);
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
  const count = Math.min(candidates.names.length, job.entriesPerJob);
  const stated = stateCandidates(fs, job, candidates, count, hash, failures);
  return {
    error: null,
    listed: candidates.listed,
    names: stated.names,
    kinds: stated.kinds,
    matched: stated.matched,
    stats: stated.stats,
    failures,
    sidecars: candidates.sidecars,
    manifests: candidates.manifests,
    stated: count,
    parts: partsAfter(candidates, count, job.entriesPerJob),
    digests: stated.digests,
    bytesHashed: stated.bytesHashed,
    hashStartedAt,
  };
}

/**
 * A huge directory is stated a part at a time, each part a job of its own: no call holds a thread for
 * long, and the parts spread over the threads. Cut once, by the first part: handing all the others on
 * from part to part copied them between threads again each time (quadratic in the entries).
 */
function partsAfter(candidates: Candidates, count: number, entriesPerJob: number): DirectoryPart[] {
  const { names, flags } = candidates;
  const parts: DirectoryPart[] = [];
  for (let at = count; at < names.length; at += entriesPerJob) {
    const end = Math.min(names.length, at + entriesPerJob);
    parts.push({ names: names.slice(at, end), flags: flags.slice(at, end) });
  }
  return parts;
}
