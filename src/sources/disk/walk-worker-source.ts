// Lists one directory of a disk walk and stats what the pattern needs, as plain-JS source text: run by
// the walk's worker threads and, compiled from the same text, on the walk's own thread while no
// worker is ready. (Why text and not a worker file: see src/integrity/hash-worker-source.ts.)
import { HASH_JOB_SOURCE, type HashCrypto } from '../../integrity/hash-worker-source.js';
import { type Fstat, type Lstat, STAT_SOURCE, type StatFacts } from '../../integrity/stat-source.js';

/** What stat() (symlinks followed) made of an entry the walk must act on. */
export const ENTRY_FILE = 1;
export const ENTRY_DIRECTORY = 2;

/** One directory to read, and what decides which of its entries matter. */
export interface DirectoryJob {
  path: string;
  /** Its path relative to the location ("" for the location itself), "/"-separated. */
  relative: string;
  /** True when its subdirectories may still hold matches (the pattern reaches deeper). */
  deeper: boolean;
  followSymlinks: boolean;
  pattern: PatternRule;
  /** Entries stated per job: a bigger directory leaves the rest to further jobs (DirectoryListing.shares). */
  share: number;
  /** A further share of a directory already listed: the entries still to state, and what the listing said of each. */
  rest?: EntriesLeft;
  /** --deep with hashing threads: hash matched plain files while they are listed (see HashWhileListing). */
  hash?: HashWhileListing;
  /**
   * With `hash`: names in this directory an earlier pattern of the same dataset matched. The run has
   * (or will have) their digests, so they are listed and stated but not hashed a second time.
   */
  matchedBefore?: readonly string[];
}

/**
 * Which files a reading thread hashes as soon as it has stated them (verify --deep): files up to
 * `below` bytes, up to `budget` bytes per job. The rest, and any file whose hash fails here, go to
 * the checksum service as before, which reports the failure. Small files are where a job, a promise
 * and a message per file cost as much as the hashing; big files gain nothing from it.
 */
export interface HashWhileListing {
  below: number;
  budget: number;
}

/** Entries of a listed directory not stated yet, with their flags (kind from the listing, matched, checksum file). */
export interface EntriesLeft {
  names: string[];
  flags: Uint8Array;
}

/** A compiled pattern as data that crosses threads: what `CompiledPattern.matches` tests. */
export interface PatternRule {
  glob: string;
  source: string;
  flags: string;
}

/** Which file names hold checksums (src/integrity/checksum-file.ts), handed over once per thread. */
export interface ChecksumNames {
  sidecarSuffixes: readonly string[];
  manifestNames: readonly string[];
}

/**
 * An entry the directory held that stat() could not answer for ('DANGLING': a symlink to nothing), or
 * a matching entry that is no file or directory ('SPECIAL': a FIFO, socket or device, never opened;
 * the message is the kind's phrase key, e.g. 'special.fifo').
 */
export interface EntryFailure {
  name: string;
  code: string;
  message: string;
}

/** Numbers per entry in DirectoryListing.facts: dev, ino, size, mtimeMs, ctimeMs. */
export const FACTS_PER_ENTRY = 5;

/**
 * The directory's entries the walk acts on, in listing order: matching files, and directories that
 * match or may hold matches. `facts` holds dev, ino, size, mtimeMs and ctimeMs per entry
 * (FACTS_PER_ENTRY numbers each): typed arrays cross threads as transferred buffers, not as
 * thousands of cloned objects.
 */
export interface DirectoryListing {
  /** Set when the directory itself could not be listed; nothing else is then. */
  error: { code: string; message: string } | null;
  /** Entries the listing held, counted for the walk's pauses and progress (0 for a further share). */
  listed: number;
  names: string[];
  kinds: Uint8Array;
  matched: Uint8Array;
  facts: Float64Array;
  failures: EntryFailure[];
  /** Checksum files in the directory, by name: `.sha256`-style sidecars, SHA256SUMS-style manifests (first share only). */
  sidecars: string[];
  manifests: string[];
  /** Entries this job stated (a further share's count: `listed` is 0 there). */
  stated: number;
  /** The sha256 of each entry the thread hashed as it listed it (job.hash), '' for the others. */
  digests: string[];
  /** Bytes read to hash them. */
  bytesHashed: number;
  /** With job.hash: when the job began (epoch ms), so before any of its reads; 0 otherwise. */
  hashStartedAt: number;
  /** What the first share left for further jobs, cut into shares once (empty when the directory is done). */
  shares: EntriesLeft[];
}

export const READ_DIRECTORY_SOURCE = `
const NO_THROW = { throwIfNoEntry: false };
// Entry flags: what the listing said (plain file, plain directory, symlink) and what the name is.
const FILE = 1, DIRECTORY = 2, LINK = 4, MATCHED = 8, CHECKSUM = 16, MATCHED_BEFORE = 32;
const S_IFMT = 0o170000, S_IFREG = 0o100000, S_IFDIR = 0o040000;
const S_IFIFO = 0o010000, S_IFSOCK = 0o140000, S_IFCHR = 0o020000, S_IFBLK = 0o060000;
// What a FIFO, socket or device is called in the issue that says it was skipped.
// The kind's phrase key in the code registry (src/codes.ts), which names it in the report's language.
function specialKind(format) {
  return format === S_IFIFO ? 'special.fifo' : format === S_IFSOCK ? 'special.socket'
    : format === S_IFCHR ? 'special.character-device' : format === S_IFBLK ? 'special.block-device' : 'special.other';
}
function direntFormat(entry) {
  return entry.isFIFO() ? S_IFIFO : entry.isSocket() ? S_IFSOCK : entry.isCharacterDevice() ? S_IFCHR
    : entry.isBlockDevice() ? S_IFBLK : 0;
}
function readDirectory(fs, job, checksumNames, hasher, lstat) {
  // The threads' own lstat (stat-source.ts); a caller with an fs of its own (tests) gets that fs's.
  const lstatEntry = lstat ?? ((path) => fs.lstatSync(path, NO_THROW));
  const listing = { error: null, listed: 0, names: [], kinds: null, matched: null, facts: null,
    failures: [], sidecars: [], manifests: [], stated: 0, shares: [], digests: [], bytesHashed: 0, hashStartedAt: 0 };
  // Only where a hasher is given (the reading threads): the walk's own thread never hashes.
  const hash = hasher === undefined ? undefined : job.hash;
  if (hash !== undefined) listing.hashStartedAt = Date.now();
  const before = hash !== undefined && job.matchedBefore !== undefined ? new Set(job.matchedBefore) : undefined;
  // Whether this job has seen the hasher's fstat of a file agree with its lstat (ListingHasher.open).
  let confirmed = false;
  const rule = job.pattern;
  // One per job, not looked up in a cache: V8 keeps the compiled expression per source and flags
  // (≈ 0.2 µs a job), and a cache's miss branch, first taken by the next pattern after this function
  // was optimised, deoptimised it once per pattern in every thread (a 20–35 ms recompile each).
  const regex = new RegExp(rule.source, rule.flags);
  let candidates;
  let flags;
  if (job.rest) {
    candidates = job.rest.names;
    flags = job.rest.flags;
  } else {
    let entries;
    try {
      entries = fs.readdirSync(job.path, { withFileTypes: true });
    } catch (error) {
      listing.error = { code: error && typeof error.code === 'string' ? error.code : 'EIO',
        message: error instanceof Error ? error.message : String(error) };
      listing.kinds = new Uint8Array(0); listing.matched = new Uint8Array(0); listing.facts = new Float64Array(0);
      return listing;
    }
    listing.listed = entries.length;
    const suffixes = checksumNames.sidecarSuffixes;
    candidates = [];
    flags = new Uint8Array(entries.length);
    for (const entry of entries) {
      const name = entry.name;
      const manifest = checksumNames.manifestNames.includes(name);
      let checksumFile = manifest;
      for (let s = 0; s < suffixes.length && !checksumFile; s++) checksumFile = name.endsWith(suffixes[s]);
      if (manifest) listing.manifests.push(name);
      else if (checksumFile) listing.sidecars.push(name);
      const symlink = entry.isSymbolicLink();
      if (symlink && !job.followSymlinks) continue;
      const type = symlink ? LINK : entry.isFile() ? FILE : entry.isDirectory() ? DIRECTORY : 0;
      if (type === FILE && checksumFile) continue;
      const relative = job.relative === '' ? name : job.relative + '/' + name;
      const matched = relative === rule.glob || regex.test(relative);
      if (type === 0) {
        // A FIFO, socket or device: never stated nor opened (open() on a FIFO waits for a writer).
        if (matched) listing.failures.push({ name, code: 'SPECIAL', message: specialKind(direntFormat(entry)) });
        continue;
      }
      // What cannot match is never stated: most of the speed on big trees.
      if (type === FILE && !matched) continue;
      if (type === DIRECTORY && !matched && !job.deeper) continue;
      flags[candidates.length] = type | (matched ? MATCHED : 0) | (checksumFile ? CHECKSUM : 0) |
        (matched && before !== undefined && before.has(name) ? MATCHED_BEFORE : 0);
      candidates.push(name);
    }
  }
  // A huge directory is stated a share at a time, each share a job of its own: no call holds a
  // thread for long, and the shares spread over the threads. Cut once, here: handing the whole rest
  // on from share to share copied it between threads again each time (quadratic in the entries).
  const count = Math.min(candidates.length, job.share);
  listing.stated = count;
  for (let at = count; at < candidates.length; at += job.share) {
    const end = Math.min(candidates.length, at + job.share);
    listing.shares.push({ names: candidates.slice(at, end), flags: flags.slice(at, end) });
  }
  const prefix = job.path.endsWith('/') ? job.path : job.path + '/';
  const kinds = new Uint8Array(count);
  const matchedFlags = new Uint8Array(count);
  const facts = new Float64Array(count * ${FACTS_PER_ENTRY});
  const names = listing.names;
  for (let i = 0; i < count; i++) {
    const name = candidates[i];
    const flag = flags[i];
    const symlink = (flag & LINK) !== 0;
    const matched = (flag & MATCHED) !== 0;
    let stats;
    // A plain file to hash is opened at once and stated through its descriptor: no lstat by path.
    // Anything unexpected (gone, now a link, an fstat that disagreed) leaves it to the lstat below.
    let opened;
    if (hash !== undefined && flag === (FILE | MATCHED) && hasher.opens && listing.bytesHashed < hash.budget) {
      opened = hasher.open(prefix + name, hash.below, hash.budget - listing.bytesHashed, confirmed ? undefined : lstatEntry);
      if (opened !== undefined) {
        stats = opened;
        confirmed = true;
      }
    }
    if (stats === undefined) try {
      // A plain file or directory is no link: lstat is stat for it, without the kernel's check for one.
      stats = symlink ? fs.statSync(prefix + name, NO_THROW) : lstatEntry(prefix + name);
      if (stats === undefined) {
        const dangling = symlink && fs.lstatSync(prefix + name, NO_THROW) !== undefined;
        listing.failures.push({ name, code: dangling ? 'DANGLING' : 'ENOENT', message: 'no such file or directory' });
        continue;
      }
    } catch (error) {
      listing.failures.push({ name, code: error && typeof error.code === 'string' ? error.code : 'EIO',
        message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    // By the mode bits: a Stats object and the plain facts of stat-source.ts both have them.
    const format = stats.mode & S_IFMT;
    let kind;
    if (format === S_IFREG) {
      if (!matched || (flag & CHECKSUM) !== 0) continue;
      kind = ${ENTRY_FILE};
    } else if (format === S_IFDIR) {
      if (!matched && !job.deeper) continue;
      kind = ${ENTRY_DIRECTORY};
    } else {
      // Through a symlink: a FIFO, socket or device the listing could not tell.
      if (matched) listing.failures.push({ name, code: 'SPECIAL', message: specialKind(format) });
      continue;
    }
    const at = names.length;
    if (hash !== undefined) {
      // Opened above: hashed there if it was to be, and never tried twice.
      let digest = opened === undefined ? '' : opened.sha256;
      if (opened === undefined && kind === ${ENTRY_FILE} && (flag & MATCHED_BEFORE) === 0 && stats.size <= hash.below &&
          listing.bytesHashed + stats.size <= hash.budget) {
        digest = hasher.stated(prefix + name, stats);
      }
      if (digest !== '') listing.bytesHashed += stats.size;
      listing.digests.push(digest);
    }
    names.push(name);
    kinds[at] = kind;
    matchedFlags[at] = matched ? 1 : 0;
    const first = at * ${FACTS_PER_ENTRY};
    facts[first] = stats.dev;
    facts[first + 1] = stats.ino;
    facts[first + 2] = stats.size;
    facts[first + 3] = stats.mtimeMs;
    facts[first + 4] = stats.ctimeMs;
  }
  listing.kinds = kinds.slice(0, names.length);
  listing.matched = matchedFlags.slice(0, names.length);
  listing.facts = facts.slice(0, names.length * ${FACTS_PER_ENTRY});
  return listing;
}
`;

/**
 * How a reading thread hashes the files it lists, with the very code of the hash threads (hashJob,
 * hashOpenFile). A failure of any kind (changed, vanished, unreadable) leaves the digest empty: the
 * checksum service then tries the file and reports what it finds.
 * - stated(path, stats): hashes a file just stated, checking it is still the one the stat saw.
 * - open(path, below, room, check): opens a plain file without following a link, states it through
 *   the descriptor and, when it is a regular file of at most \`below\` and \`room\` bytes, hashes it
 *   while it is open. Its facts with \`sha256\` ('' when not hashed); undefined when it cannot be
 *   opened, or \`check\` (an lstat) is given and disagrees with the fstat: a path stated twice by the
 *   same kernel agrees, so a disagreement is a file changing, or a filesystem whose descriptors
 *   answer for another layer (overlayfs before Linux 4.19). Three of them and \`opens\` turns false:
 *   that thread states by path, as before, for good.
 */
export const LISTING_HASHER_SOURCE = `
${HASH_JOB_SOURCE}
${STAT_SOURCE}
const OPEN_CHECKS = 3;
function listingHasher(fs, crypto, bufferSize, stopped, fstat) {
  const stat = fstat ?? ((fd) => fs.fstatSync(fd));
  let buffer;
  let disagreements = 0;
  const hasher = {
    opens: true,
    stated(path, stats) {
      // An aborted run stops hashing at once, also between the reads of a file: queued jobs are then only listed.
      if (stopped()) return '';
      buffer ??= Buffer.allocUnsafeSlow(bufferSize);
      const job = { id: 0, path, expect: { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs } };
      const result = hashJob(fs, crypto, job, buffer, stopped, stat);
      return result.ok ? result.sha256 : '';
    },
    open(path, below, room, check) {
      let fd = -1;
      try {
        fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY | fs.constants.O_NOFOLLOW);
        const s = stat(fd);
        const facts = { dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, mode: s.mode,
          sha256: '' };
        if (check !== undefined) {
          const listed = check(path);
          if (listed === undefined || !sameStat(listed, facts)) {
            if (++disagreements >= OPEN_CHECKS) hasher.opens = false;
            return undefined;
          }
        }
        if ((facts.mode & fs.constants.S_IFMT) === fs.constants.S_IFREG && facts.size <= below &&
            facts.size <= room && !stopped()) {
          buffer ??= Buffer.allocUnsafeSlow(bufferSize);
          const result = hashOpenFile(fs, crypto, 0, fd, facts, buffer, stopped, stat);
          if (result.ok) facts.sha256 = result.sha256;
        }
        return facts;
      } catch {
        return undefined;
      } finally {
        if (fd !== -1) {
          try { fs.closeSync(fd); } catch {}
        }
      }
    },
  };
  return hasher;
}
`;

/** The worker's body: one directory job in, its listing out with the typed arrays transferred. */
export const WALK_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');
${READ_DIRECTORY_SOURCE}
${LISTING_HASHER_SOURCE}
const binding = statBinding(process);
const lstat = createLstat(fs, binding);
const control = new Int32Array(workerData.control);
const fstat = createFstat(fs, binding);
const hasher = listingHasher(fs, crypto, workerData.bufferSize, () => Atomics.load(control, 0) !== 0, fstat);
parentPort.on('message', (job) => {
  const listing = readDirectory(fs, job, workerData.checksumNames, hasher, lstat);
  parentPort.postMessage(listing, [listing.kinds.buffer, listing.matched.buffer, listing.facts.buffer]);
});
`;

/** A reading thread's hasher (LISTING_HASHER_SOURCE says what each member does). */
export interface ListingHasher {
  readonly opens: boolean;
  stated(path: string, stats: { ino: number; size: number; mtimeMs: number }): string;
  open(
    path: string,
    below: number,
    room: number,
    check: Lstat | undefined,
  ): (StatFacts & { sha256: string }) | undefined;
}

export type ReadDirectoryFunction = (
  fs: unknown,
  job: DirectoryJob,
  checksumNames: ChecksumNames,
  hasher?: ListingHasher,
  lstat?: Lstat,
) => DirectoryListing;

type ListingHasherFactory = (
  fs: unknown,
  crypto: HashCrypto,
  bufferSize: number,
  stopped: () => boolean,
  fstat?: Fstat,
) => ListingHasher;

/** The same `listingHasher` text, compiled on the calling thread: for tests that inject a fake fs. */
export function compileListingHasher(): ListingHasherFactory {
  return new Function(`${LISTING_HASHER_SOURCE}\nreturn listingHasher;`)() as ListingHasherFactory;
}

/** The same `readDirectory` text, compiled on the calling thread. */
export function compileReadDirectory(): ReadDirectoryFunction {
  return new Function(`${READ_DIRECTORY_SOURCE}\nreturn readDirectory;`)() as ReadDirectoryFunction;
}
