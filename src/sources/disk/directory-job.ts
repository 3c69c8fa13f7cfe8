// What crosses between a disk walk and its reading threads: a directory job, its listing, the threads' start data.

/** What stat() (symlinks followed) made of an entry the walk must act on. */
export const ENTRY_FILE = 1;
export const ENTRY_DIRECTORY = 2;

/** One directory to read, and what decides which of its entries matter. */
export interface DirectoryJob {
  path: string;
  /** Its path relative to the location ("" for the location itself), "/"-separated. */
  relative: string;
  /** True when its subdirectories may still hold matches (the pattern reaches below it). */
  subdirectoriesMayMatch: boolean;
  followSymlinks: boolean;
  /** With followSymlinks "inside": the location's real root; a link leading outside it is not followed (WalkContext.confinedTo). */
  confinedTo?: string;
  pattern: PatternRule;
  /** Entries stated per job: a bigger directory leaves the others to further jobs (DirectoryListing.parts). */
  entriesPerJob: number;
  /** A further part of a directory already listed: the entries still to state, and what the listing said of each. */
  part?: DirectoryPart;
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
export interface DirectoryPart {
  names: string[];
  flags: Uint8Array;
}

/** A compiled pattern as data that crosses threads: what `CompiledPattern.matches` tests. */
export interface PatternRule {
  glob: string;
  source: string;
  flags: string;
}

/**
 * An entry the directory held that stat() could not answer for ('DANGLING': a symlink to nothing), a
 * matching entry that is no file or directory ('SPECIAL': a FIFO, socket or device, never opened;
 * the message is the kind's phrase key, e.g. 'special.fifo'), or a link the walk needed that leads
 * outside the location ('OUTSIDE': the message is where it leads; not followed).
 */
export interface EntryFailure {
  name: string;
  code: string;
  message: string;
}

/** Numbers per entry in DirectoryListing.stats: dev, ino, size, mtimeMs, ctimeMs. */
export const NUMBERS_PER_ENTRY = 5;

/**
 * The directory's entries the walk acts on, in listing order: matching files, and directories that
 * match or may hold matches. `stats` holds dev, ino, size, mtimeMs and ctimeMs per entry
 * (NUMBERS_PER_ENTRY numbers each): typed arrays cross threads as transferred buffers, not as
 * thousands of cloned objects.
 */
export interface DirectoryListing {
  /** Set when the directory itself could not be listed; nothing else is then. */
  error: { code: string; message: string } | null;
  /** Entries the listing held, counted for the walk's pauses and progress (0 for a further part). */
  listed: number;
  names: string[];
  // Of an ArrayBuffer (not a shared one): each is transferred to the walk's thread.
  kinds: Uint8Array<ArrayBuffer>;
  matched: Uint8Array<ArrayBuffer>;
  stats: Float64Array<ArrayBuffer>;
  failures: EntryFailure[];
  /** Checksum files in the directory, by name: `.sha256`-style sidecars, SHA256SUMS-style manifests (first part only). */
  sidecars: string[];
  manifests: string[];
  /** Entries this job stated (a further part's count: `listed` is 0 there). */
  stated: number;
  /** The sha256 of each entry the thread hashed as it listed it (job.hash), '' for the others. */
  digests: string[];
  /** Bytes read to hash them. */
  bytesHashed: number;
  /** With job.hash: when the job began (epoch ms), so before any of its reads; 0 otherwise. */
  hashStartedAt: number;
  /** What the first part left for further jobs, cut into parts once (empty when the directory is done). */
  parts: DirectoryPart[];
}

/** What the pool hands each reading thread. */
export interface WalkThreadData {
  /** Read buffer per thread for --deep's hashing, in bytes. */
  bufferSize: number;
  /** control[0]: 0 while the run goes on, else STOP_HASHING or CLOSED; read between files and between reads. */
  control: SharedArrayBuffer;
}

/** In control[0]: the run was aborted; jobs are still listed, nothing more is hashed. */
export const STOP_HASHING = 1;
/** In control[0]: the pool answered every job itself; a thread skips what it still holds (and hashes nothing). */
export const CLOSED = 2;
