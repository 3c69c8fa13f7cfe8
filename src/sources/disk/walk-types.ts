// What the disk walk hands its caller and its helpers: the matches it reports and the context it walks with.
import type { SourceIssue } from '../../model.js';
import type { HashWhileListing } from './directory-job.js';
import type { LocationReader, WalkPool } from './walk-pool.js';

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
  'issues' | 'dataset' | 'followSymlinks' | 'listed' | 'reported' | 'refused'
>;

/** Entries the walk handles between two pauses (WalkContext.budget). */
export const ENTRIES_PER_PAUSE = 2048;
