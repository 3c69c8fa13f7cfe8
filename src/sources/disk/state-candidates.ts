// The candidates a directory job states, up to its entriesPerJob: each one's stat (through a link when links
// are followed), and under --deep the small plain files opened, stated through their descriptor and hashed.

import { errnoOf, messageOf } from '../../errno.js';
import type { StatFields } from '../../integrity/stat-fields.js';
import { type Candidates, CHECKSUM, FILE, LINK, MATCHED, MATCHED_BEFORE } from './directory-candidates.js';
import {
  type DirectoryJob,
  ENTRY_DIRECTORY,
  ENTRY_FILE,
  type EntryFailure,
  type HashWhileListing,
  NUMBERS_PER_ENTRY,
} from './directory-job.js';
import { S_IFDIR, S_IFMT, S_IFREG, specialKind } from './file-modes.js';
import { outsideTarget } from './link-target.js';
import type { ListingHasher } from './listing-hasher.js';

const NO_THROW = { throwIfNoEntry: false } as const;

/** What stating uses of node:fs (read-directory.ts's ListingFs adds the listing). */
export interface StatingFs {
  statSync(path: string, options: { throwIfNoEntry: false }): StatFields | undefined;
  lstatSync(path: string, options: { throwIfNoEntry: false }): StatFields | undefined;
  /** Asked only of links, and only with followSymlinks "inside" (DirectoryJob.confinedTo). */
  realpathSync(path: string): string;
}

/** A reading thread's hashing for this job: its hasher, and what the job lets it hash. */
export type HashingNow = HashWhileListing & { hasher: ListingHasher };

/** The stated entries the walk acts on, in listing order (DirectoryListing has what each field holds). */
export interface StatedEntries {
  names: string[];
  kinds: Uint8Array<ArrayBuffer>;
  matched: Uint8Array<ArrayBuffer>;
  stats: Float64Array<ArrayBuffer>;
  digests: string[];
  bytesHashed: number;
}

/** One job's stating: what it states with, and what it has found so far. */
interface Stating {
  fs: StatingFs;
  job: DirectoryJob;
  /** The directory's path with a trailing "/". */
  prefix: string;
  hash: HashingNow | undefined;
  lstat: (path: string) => StatFields | undefined;
  /** Whether this job has seen the hasher's fstat of a file agree with its lstat (ListingHasher.open). */
  confirmed: boolean;
  bytesHashed: number;
  /** The candidate just opened and stated through its descriptor (and hashed, if it was to be). */
  opened: (StatFields & { sha256: string }) | undefined;
  failures: EntryFailure[];
}

/** States the first `count` candidates; what could not be stated, or is no file or directory, is a failure. */
export function stateCandidates(
  fs: StatingFs,
  job: DirectoryJob,
  candidates: Candidates,
  count: number,
  hash: HashingNow | undefined,
  failures: EntryFailure[],
): StatedEntries {
  const stating: Stating = {
    fs,
    job,
    prefix: job.path.endsWith('/') ? job.path : `${job.path}/`,
    hash,
    lstat: (path) => fs.lstatSync(path, NO_THROW),
    confirmed: false,
    bytesHashed: 0,
    opened: undefined,
    failures,
  };
  const kinds = new Uint8Array(count);
  const matchedFlags = new Uint8Array(count);
  const numbers = new Float64Array(count * NUMBERS_PER_ENTRY);
  const names: string[] = [];
  const digests: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = candidates.names[i] as string;
    const flag = candidates.flags[i] as number;
    const stats = statOf(stating, name, flag);
    if (stats === undefined) continue;
    const kind = kindOf(stats, flag, job.subdirectoriesMayMatch, name, failures);
    if (kind === NOT_ACTED_ON) continue;
    if (hash !== undefined) digests.push(digestOf(stating, hash, name, flag, kind, stats));
    const at = names.length;
    names.push(name);
    kinds[at] = kind;
    matchedFlags[at] = (flag & MATCHED) !== 0 ? 1 : 0;
    const first = at * NUMBERS_PER_ENTRY;
    numbers[first] = stats.dev;
    numbers[first + 1] = stats.ino;
    numbers[first + 2] = stats.size;
    numbers[first + 3] = stats.mtimeMs;
    numbers[first + 4] = stats.ctimeMs;
  }
  return {
    names,
    kinds: kinds.slice(0, names.length),
    matched: matchedFlags.slice(0, names.length),
    stats: numbers.slice(0, names.length * NUMBERS_PER_ENTRY),
    digests,
    bytesHashed: stating.bytesHashed,
  };
}

/** A candidate's stat, or undefined with a failure when it vanished, dangles or cannot be read. */
function statOf(stating: Stating, name: string, flag: number): StatFields | undefined {
  const { fs, prefix, hash } = stating;
  stating.opened = undefined;
  // A plain file to hash is opened at once and stated through its descriptor: no lstat by path.
  // Anything unexpected (gone, now a link, an fstat that disagreed) leaves it to the lstat below.
  if (hash !== undefined && flag === (FILE | MATCHED) && hash.hasher.opens && stating.bytesHashed < hash.budget) {
    const check = stating.confirmed ? undefined : stating.lstat;
    stating.opened = hash.hasher.open(prefix + name, hash.below, hash.budget - stating.bytesHashed, check);
    if (stating.opened !== undefined) {
      stating.confirmed = true;
      return stating.opened;
    }
  }
  const symlink = (flag & LINK) !== 0;
  if (symlink && stating.job.confinedTo !== undefined && leadsOutside(stating, name, flag)) return undefined;
  try {
    // A plain file or directory is no link: lstat is stat for it, without the kernel's check for one.
    const stats = symlink ? fs.statSync(prefix + name, NO_THROW) : stating.lstat(prefix + name);
    if (stats !== undefined) return stats;
    const dangling = symlink && fs.lstatSync(prefix + name, NO_THROW) !== undefined;
    stating.failures.push({ name, code: dangling ? 'DANGLING' : 'ENOENT', message: 'no such file or directory' });
  } catch (error) {
    stating.failures.push({ name, code: errnoOf(error) ?? 'EIO', message: messageOf(error) });
  }
  return undefined;
}

/**
 * followSymlinks "inside": whether the link `name` leads outside the location, so it is not followed.
 * Said (a failure 'OUTSIDE') only where following it would have mattered: the link matched, or it is a
 * directory the pattern reaches below; a link to some other outside file is passed over in silence.
 */
function leadsOutside(stating: Stating, name: string, flag: number): boolean {
  const { fs, prefix, job } = stating;
  const path = prefix + name;
  const target = outsideTarget((p) => fs.realpathSync(p), path, job.confinedTo as string);
  if (target === undefined) return false;
  let matters = (flag & MATCHED) !== 0;
  if (!matters && job.subdirectoriesMayMatch) {
    // Its type only (no open): realpath has just looked up the same entry.
    try {
      matters = ((fs.statSync(path, NO_THROW)?.mode ?? 0) & S_IFMT) === S_IFDIR;
    } catch {
      matters = false;
    }
  }
  if (matters) stating.failures.push({ name, code: 'OUTSIDE', message: target });
  return true;
}

/** Not a match, and no directory that may hold one. */
const NOT_ACTED_ON = 0;

/**
 * What the walk is to make of a stated candidate (ENTRY_FILE, ENTRY_DIRECTORY), by its mode bits (a
 * Stats and an opened file's stat both have them); NOT_ACTED_ON for what it leaves alone.
 */
function kindOf(
  stats: StatFields,
  flag: number,
  subdirectoriesMayMatch: boolean,
  name: string,
  failures: EntryFailure[],
): number {
  const matched = (flag & MATCHED) !== 0;
  const format = stats.mode & S_IFMT;
  if (format === S_IFREG) return matched && (flag & CHECKSUM) === 0 ? ENTRY_FILE : NOT_ACTED_ON;
  if (format === S_IFDIR) return matched || subdirectoriesMayMatch ? ENTRY_DIRECTORY : NOT_ACTED_ON;
  // Through a symlink: a FIFO, socket or device the listing could not tell.
  if (matched) failures.push({ name, code: 'SPECIAL', message: specialKind(format) });
  return NOT_ACTED_ON;
}

/** A stated file's digest when this thread hashes it (--deep), '' when it leaves it to the checksum service. */
function digestOf(
  stating: Stating,
  hash: HashingNow,
  name: string,
  flag: number,
  kind: number,
  stats: StatFields,
): string {
  const { opened } = stating;
  // Opened above: hashed there if it was to be, and never tried twice.
  let digest = opened === undefined ? '' : opened.sha256;
  if (
    opened === undefined &&
    kind === ENTRY_FILE &&
    (flag & MATCHED_BEFORE) === 0 &&
    stats.size <= hash.below &&
    stating.bytesHashed + stats.size <= hash.budget
  ) {
    digest = hash.hasher.stated(stating.prefix + name, stats);
  }
  if (digest !== '') stating.bytesHashed += stats.size;
  return digest;
}
