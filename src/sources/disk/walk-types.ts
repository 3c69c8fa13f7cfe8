// What the disk walk hands its caller and its helpers: the matches it reports and the context it walks with.
import type { AnswerWatch } from '../../integrity/worker-pool.js';
import type { SourceIssue } from '../../model.js';
import type { DirectoryJob, DirectoryListing, HashWhileListing } from './directory-job.js';

/** The stat fields a copy needs; kept instead of Stats so a million entries stay small. */
export interface FileStat {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

export interface FileMatch extends FileStat {
  kind: 'file';
  path: string;
  name: string;
  /** Checksum files seen beside it in the same listing (absolute paths), for recorded checksums. */
  sidecars: string[];
  manifests: string[];
  /** Its sha256 when a reading thread hashed it as it listed it (WalkContext.hashWhileListing). */
  sha256?: string;
  /** With sha256: when that thread's job began, so before the read (epoch ms). */
  hashedAt?: number;
}

export interface DirectoryMatch {
  kind: 'directory';
  path: string;
  name: string;
  mtimeMs: number;
  dev: number;
  ino: number;
  /** Ancestors' dev:ino keys, so walking inside the copy still notices loops through it. */
  chain: Chain | undefined;
}

export type WalkMatch = FileMatch | DirectoryMatch;

/** The directories on the current path, newest first: a loop is a directory that is its own ancestor. */
export interface Chain {
  key: string;
  parent: Chain | undefined;
}

export interface WalkContext {
  root: string;
  dataset: string;
  followSymlinks: boolean;
  /**
   * With followSymlinks, "inside" (the default): the location's root with its links resolved. A link
   * is then followed only when where it leads is inside it; undefined follows links anywhere.
   */
  confinedTo?: string | undefined;
  issues: SourceIssue[];
  /** Called after each directory is listed (before its entries are looked at): progress, yields. */
  listed: (directory: string) => void;
  /** Awaited every few thousand entries to give the event loop a turn; throws when aborted. */
  pause: () => Promise<void>;
  /** Entries left before the next pause. */
  budget: number;
  /** Threads that read the location's directories (and make its other reads) while this one acts on their listings. */
  walkers: WalkPool;
  /** The location the walk reads, and how long one read may take before it counts as not answering. */
  reader: LocationReader;
  /**
   * verify --deep: the threads hash small files as they list them (DirectoryJob.hash); the walk waits
   * for the threads to start, so the first directories' files are hashed there too.
   */
  hashWhileListing?: HashWhileListing;
  /**
   * With hashWhileListing: the names an earlier pattern of the same dataset matched in a directory
   * (its path without a trailing "/"), which the reading threads then do not hash again.
   */
  matchedBefore?: ((directory: string) => readonly string[] | undefined) | undefined;
  /**
   * Warnings about an entry as it is (a dangling or looping link, a FIFO, a link not followed)
   * already given for this dataset, by code and path: two patterns meeting it say it once.
   */
  reported?: Set<string>;
  /** Entries a pattern matched but that are no copy (a FIFO, a link not followed): a pattern with one matched something. */
  refused?: number;
}

/** What reading a directory copy's tree (on a walk thread) and reporting an entry's issues use of a walk. */
export type EntryContext = Pick<
  WalkContext,
  'issues' | 'dataset' | 'followSymlinks' | 'confinedTo' | 'listed' | 'reported' | 'refused'
>;

/** Entries the walk handles between two pauses (WalkContext.budget). */
export const ENTRIES_PER_PAUSE = 2048;

export interface TreeFile extends FileStat {
  path: string;
  /** Path inside the directory copy, "/"-separated: what its manifest lists. */
  relative: string;
}

export interface TreeSummary {
  files: TreeFile[];
  bytes: number;
  newestMtimeMs: number;
  /** Some part could not be read, so the content cannot be hashed as a whole. */
  incomplete: boolean;
}

/** What a probe keeps of a stat: the numbers and the mode, which cross threads as plain data. */
export interface ProbedStat {
  dev: number;
  ino: number;
  size: number;
  mode: number;
  mtimeMs: number;
  ctimeMs: number;
}

export type ProbeJob =
  /** stat() (lstat() with follow false); `stat` undefined when nothing is there. */
  | { probe: 'stat'; path: string; follow: boolean }
  /**
   * The first symbolic link on the way from `root` down to `base` (its parts), if any; with
   * `confinedTo`, the first one that leads outside it.
   */
  | { probe: 'link-on-the-way'; root: string; base: string; confinedTo?: string }
  /** A directory's entry names and whether each is a plain file. */
  | { probe: 'list'; path: string }
  /**
   * A checksum file's text, at most `limit` bytes; a FIFO or device is refused, never waited on. A
   * link is not read with `followSymlinks` false, nor when it leads outside `confinedTo`.
   */
  | { probe: 'read-text'; path: string; limit: number; followSymlinks?: boolean; confinedTo?: string | undefined }
  /** The path with its links resolved, and its st_dev: what the host's mount table is asked with. */
  | { probe: 'realpath'; path: string }
  /** A directory copy's files, bytes and newest mtime (tree.ts), with the issues its reading met. */
  | {
      probe: 'tree';
      directory: DirectoryMatch;
      followSymlinks: boolean;
      confinedTo: string | undefined;
      dataset: string;
    };

export interface ProbeFailure {
  code: string;
  message: string;
}

export type ProbeAnswer =
  | { probe: 'stat'; stat: ProbedStat | undefined; error?: ProbeFailure }
  /** `target`: where the link leads, when it was asked with `confinedTo` and leads outside it. */
  | { probe: 'link-on-the-way'; link: string | undefined; target?: string }
  | { probe: 'list'; names: string[]; files: boolean[]; error?: ProbeFailure }
  | { probe: 'read-text'; text?: string; mtimeMs?: number; size?: number; error?: ProbeFailure }
  | { probe: 'realpath'; real: string; dev: number | undefined }
  | { probe: 'tree'; summary: TreeSummary; issues: SourceIssue[]; listed: number; error?: ProbeFailure };

/**
 * The location a job reads for, and how long one of its reads may take. Once one did not return in
 * time the location is not answering: the thread holding that read is given up on (another takes its
 * place), and every further job of the location fails at once instead of waiting on the mount again.
 */
export interface LocationReader extends AnswerWatch {
  location: string;
  /** Set when one of its reads did not answer in time: what was being read. */
  stoppedAnswering: { path: string } | undefined;
}

export interface WalkPool {
  /**
   * Reads `job` on a worker thread for `reader` (the location it belongs to). Undefined while no worker
   * is ready or every worker has enough queued: the caller then sends it later (untilJobAnswered).
   */
  submit(job: DirectoryJob, reader?: LocationReader): Promise<DirectoryListing> | undefined;
  /**
   * Runs a one-off read (probe.ts) on a worker thread; queued when every thread is full, never refused.
   * Rejects with LocationNotAnswering once `reader`'s location is not answering.
   */
  probe<K extends ProbeJob['probe']>(
    job: Extract<ProbeJob, { probe: K }>,
    reader?: LocationReader,
  ): Promise<ProbeAnswerOf<K>>;
  /** How many threads read. */
  readonly threads: number;
  /** Resolves once every thread can take jobs (a walk never waits for it; tests do). */
  ready(): Promise<void>;
  /**
   * Resolves true when a thread has answered a job (so submit() may find room), false when no thread
   * is left to answer (the pool closed).
   */
  untilJobAnswered(): Promise<boolean>;
  /**
   * The run was aborted: every thread stops hashing (between reads of a file, too), so the jobs it
   * still holds come back as plain listings within milliseconds. For good: a pool serves one run.
   */
  stopHashing(): void;
  /** Answers every job still held as cancelled, and resolves once the threads (not the abandoned ones) have ended. */
  close(): Promise<void>;
}

export type ProbeAnswerOf<K extends ProbeJob['probe']> = Extract<ProbeAnswer, { probe: K }>;
