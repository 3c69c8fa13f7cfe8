// Lists one directory of a disk walk and stats what the pattern needs: run by the walk's reading
// threads (walk-worker.ts) and, while no thread is ready, on the walk's own thread (walk-pool.ts).
import type { Dirent } from 'node:fs';
import type { PhraseKey } from '../../codes.js';
import { MANIFEST_NAMES, SIDECAR_SUFFIXES } from '../../integrity/checksum-file.js';
import type { StatFacts } from '../../integrity/stat-facts.js';
import { errnoOf, messageOf } from '../../system-error.js';
import {
  type DirectoryJob,
  type DirectoryListing,
  ENTRY_DIRECTORY,
  ENTRY_FILE,
  type EntryFailure,
  FACTS_PER_ENTRY,
} from './directory-job.js';
import type { ListingHasher } from './listing-hasher.js';

/** What readDirectory uses of node:fs: tests hand in an fs that changes the tree at the moment it matters. */
export interface ListingFs {
  readdirSync(path: string, options: { withFileTypes: true }): Dirent[];
  statSync(path: string, options: { throwIfNoEntry: false }): StatFacts | undefined;
  lstatSync(path: string, options: { throwIfNoEntry: false }): StatFacts | undefined;
}

const NO_THROW = { throwIfNoEntry: false } as const;
// Entry flags: what the listing said (plain file, plain directory, symlink) and what the name is.
const FILE = 1;
const DIRECTORY = 2;
const LINK = 4;
const MATCHED = 8;
const CHECKSUM = 16;
const MATCHED_BEFORE = 32;
export const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFIFO = 0o010000;
const S_IFSOCK = 0o140000;
const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;

/** What a FIFO, socket or device (by its mode's format bits) is called: its phrase key in src/codes.ts. */
export function specialKind(format: number): PhraseKey {
  return format === S_IFIFO
    ? 'special.fifo'
    : format === S_IFSOCK
      ? 'special.socket'
      : format === S_IFCHR
        ? 'special.character-device'
        : format === S_IFBLK
          ? 'special.block-device'
          : 'special.other';
}

function direntFormat(entry: Dirent): number {
  return entry.isFIFO()
    ? S_IFIFO
    : entry.isSocket()
      ? S_IFSOCK
      : entry.isCharacterDevice()
        ? S_IFCHR
        : entry.isBlockDevice()
          ? S_IFBLK
          : 0;
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
  const lstatEntry = (path: string) => fs.lstatSync(path, NO_THROW);
  const failures: EntryFailure[] = [];
  const sidecars: string[] = [];
  const manifests: string[] = [];
  const digests: string[] = [];
  let listed = 0;
  let bytesHashed = 0;
  // Only where a hasher is given (the reading threads): the walk's own thread never hashes.
  const hash = hasher === undefined || job.hash === undefined ? undefined : { hasher, ...job.hash };
  const hashStartedAt = hash === undefined ? 0 : Date.now();
  const before = hash !== undefined && job.matchedBefore !== undefined ? new Set(job.matchedBefore) : undefined;
  // Whether this job has seen the hasher's fstat of a file agree with its lstat (ListingHasher.open).
  let confirmed = false;
  const rule = job.pattern;
  // One per job, not looked up in a cache: V8 keeps the compiled expression per source and flags
  // (≈ 0.2 µs a job), and a cache's miss branch, first taken by the next pattern after this function
  // was optimised, deoptimised it once per pattern in every thread (a 20–35 ms recompile each).
  const regex = new RegExp(rule.source, rule.flags);
  let candidates: string[];
  let flags: Uint8Array;
  if (job.rest) {
    candidates = job.rest.names;
    flags = job.rest.flags;
  } else {
    let entries: Dirent[];
    try {
      entries = fs.readdirSync(job.path, { withFileTypes: true });
    } catch (error) {
      return failedListing(errnoOf(error) ?? 'EIO', messageOf(error));
    }
    listed = entries.length;
    candidates = [];
    flags = new Uint8Array(entries.length);
    for (const entry of entries) {
      const name = entry.name;
      const manifest = (MANIFEST_NAMES as readonly string[]).includes(name);
      let checksumFile = manifest;
      for (let s = 0; s < SIDECAR_SUFFIXES.length && !checksumFile; s++)
        checksumFile = name.endsWith(SIDECAR_SUFFIXES[s] as string);
      if (manifest) manifests.push(name);
      else if (checksumFile) sidecars.push(name);
      const symlink = entry.isSymbolicLink();
      if (symlink && !job.followSymlinks) continue;
      const type = symlink ? LINK : entry.isFile() ? FILE : entry.isDirectory() ? DIRECTORY : 0;
      if (type === FILE && checksumFile) continue;
      const relative = job.relative === '' ? name : `${job.relative}/${name}`;
      const matched = relative === rule.glob || regex.test(relative);
      if (type === 0) {
        // A FIFO, socket or device: never stated nor opened (open() on a FIFO waits for a writer).
        if (matched) failures.push({ name, code: 'SPECIAL', message: specialKind(direntFormat(entry)) });
        continue;
      }
      // What cannot match is never stated: most of the speed on big trees.
      if (type === FILE && !matched) continue;
      if (type === DIRECTORY && !matched && !job.deeper) continue;
      flags[candidates.length] =
        type |
        (matched ? MATCHED : 0) |
        (checksumFile ? CHECKSUM : 0) |
        (matched && before?.has(name) ? MATCHED_BEFORE : 0);
      candidates.push(name);
    }
  }
  // A huge directory is stated a share at a time, each share a job of its own: no call holds a
  // thread for long, and the shares spread over the threads. Cut once, here: handing the whole rest
  // on from share to share copied it between threads again each time (quadratic in the entries).
  const count = Math.min(candidates.length, job.share);
  const shares = [];
  for (let at = count; at < candidates.length; at += job.share) {
    const end = Math.min(candidates.length, at + job.share);
    shares.push({ names: candidates.slice(at, end), flags: flags.slice(at, end) });
  }
  const prefix = job.path.endsWith('/') ? job.path : `${job.path}/`;
  const kinds = new Uint8Array(count);
  const matchedFlags = new Uint8Array(count);
  const facts = new Float64Array(count * FACTS_PER_ENTRY);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = candidates[i] as string;
    const flag = flags[i] as number;
    const symlink = (flag & LINK) !== 0;
    const matched = (flag & MATCHED) !== 0;
    let stats: StatFacts | undefined;
    // A plain file to hash is opened at once and stated through its descriptor: no lstat by path.
    // Anything unexpected (gone, now a link, an fstat that disagreed) leaves it to the lstat below.
    let opened: (StatFacts & { sha256: string }) | undefined;
    if (hash !== undefined && flag === (FILE | MATCHED) && hash.hasher.opens && bytesHashed < hash.budget) {
      opened = hash.hasher.open(
        prefix + name,
        hash.below,
        hash.budget - bytesHashed,
        confirmed ? undefined : lstatEntry,
      );
      if (opened !== undefined) {
        stats = opened;
        confirmed = true;
      }
    }
    if (stats === undefined)
      try {
        // A plain file or directory is no link: lstat is stat for it, without the kernel's check for one.
        stats = symlink ? fs.statSync(prefix + name, NO_THROW) : lstatEntry(prefix + name);
        if (stats === undefined) {
          const dangling = symlink && fs.lstatSync(prefix + name, NO_THROW) !== undefined;
          failures.push({ name, code: dangling ? 'DANGLING' : 'ENOENT', message: 'no such file or directory' });
          continue;
        }
      } catch (error) {
        failures.push({ name, code: errnoOf(error) ?? 'EIO', message: messageOf(error) });
        continue;
      }
    // By the mode bits: a Stats object and the facts of an opened file (ListingHasher.open) both have them.
    const format = stats.mode & S_IFMT;
    let kind: number;
    if (format === S_IFREG) {
      if (!matched || (flag & CHECKSUM) !== 0) continue;
      kind = ENTRY_FILE;
    } else if (format === S_IFDIR) {
      if (!matched && !job.deeper) continue;
      kind = ENTRY_DIRECTORY;
    } else {
      // Through a symlink: a FIFO, socket or device the listing could not tell.
      if (matched) failures.push({ name, code: 'SPECIAL', message: specialKind(format) });
      continue;
    }
    const at = names.length;
    if (hash !== undefined) {
      // Opened above: hashed there if it was to be, and never tried twice.
      let digest = opened === undefined ? '' : opened.sha256;
      if (
        opened === undefined &&
        kind === ENTRY_FILE &&
        (flag & MATCHED_BEFORE) === 0 &&
        stats.size <= hash.below &&
        bytesHashed + stats.size <= hash.budget
      ) {
        digest = hash.hasher.stated(prefix + name, stats);
      }
      if (digest !== '') bytesHashed += stats.size;
      digests.push(digest);
    }
    names.push(name);
    kinds[at] = kind;
    matchedFlags[at] = matched ? 1 : 0;
    const first = at * FACTS_PER_ENTRY;
    facts[first] = stats.dev;
    facts[first + 1] = stats.ino;
    facts[first + 2] = stats.size;
    facts[first + 3] = stats.mtimeMs;
    facts[first + 4] = stats.ctimeMs;
  }
  return {
    error: null,
    listed,
    names,
    kinds: kinds.slice(0, names.length),
    matched: matchedFlags.slice(0, names.length),
    facts: facts.slice(0, names.length * FACTS_PER_ENTRY),
    failures,
    sidecars,
    manifests,
    stated: count,
    shares,
    digests,
    bytesHashed,
    hashStartedAt,
  };
}
