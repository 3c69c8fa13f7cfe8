// A directory job's candidates: the entries of its listing that may be a match or hold one, each with
// what the listing said of it (file, directory, link) and of its name (matched, a checksum file).
import type { Dirent } from 'node:fs';
import { MANIFEST_NAMES, SIDECAR_SUFFIXES } from '../../integrity/checksum-file.js';
import type { DirectoryJob, DirectoryPart, EntryFailure } from './directory-job.js';
import { direntFormat, specialKind } from './file-modes.js';

// Candidate flags: what the listing said (plain file, plain directory, symlink) and what the name is.
export const FILE = 1;
export const DIRECTORY = 2;
export const LINK = 4;
export const MATCHED = 8;
export const CHECKSUM = 16;
/** Matched by an earlier pattern of the dataset: stated, not hashed again (DirectoryJob.matchedBefore). */
export const MATCHED_BEFORE = 32;

export interface Candidates {
  names: string[];
  /** One set of flags per name. */
  flags: Uint8Array;
  /** Entries the listing held (0 for a further part: its names were listed by the first). */
  listed: number;
  /** Checksum files of the directory, by name (first part only). */
  sidecars: string[];
  manifests: string[];
}

/**
 * The listing's candidates: what cannot match is left out here, so it is never stated (most of the
 * speed on big trees). A matched FIFO, socket or device becomes a failure, never stated nor opened.
 */
export function candidatesOf(
  job: DirectoryJob,
  entries: Dirent[],
  regex: RegExp,
  before: Set<string> | undefined,
  failures: EntryFailure[],
): Candidates {
  const candidates: Candidates = {
    names: [],
    flags: new Uint8Array(entries.length),
    listed: entries.length,
    sidecars: [],
    manifests: [],
  };
  const { names, flags } = candidates;
  const rule = job.pattern;
  for (const entry of entries) {
    const name = entry.name;
    const manifest = (MANIFEST_NAMES as readonly string[]).includes(name);
    let checksumFile = manifest;
    for (let s = 0; s < SIDECAR_SUFFIXES.length && !checksumFile; s++)
      checksumFile = name.endsWith(SIDECAR_SUFFIXES[s] as string);
    if (manifest) candidates.manifests.push(name);
    else if (checksumFile) candidates.sidecars.push(name);
    const symlink = entry.isSymbolicLink();
    if (symlink && !job.followSymlinks) continue;
    const type = symlink ? LINK : entry.isFile() ? FILE : entry.isDirectory() ? DIRECTORY : 0;
    if (type === FILE && checksumFile) continue;
    const relative = job.relative === '' ? name : `${job.relative}/${name}`;
    const matched = relative === rule.glob || regex.test(relative);
    if (type === 0) {
      // open() on a FIFO waits for a writer.
      if (matched) failures.push({ name, code: 'SPECIAL', message: specialKind(direntFormat(entry)) });
      continue;
    }
    if (type === FILE && !matched) continue;
    if (type === DIRECTORY && !matched && !job.subdirectoriesMayMatch) continue;
    flags[names.length] =
      type |
      (matched ? MATCHED : 0) |
      (checksumFile ? CHECKSUM : 0) |
      (matched && before?.has(name) ? MATCHED_BEFORE : 0);
    names.push(name);
  }
  return candidates;
}

/** A further part's candidates: what the first part cut off for it, with their flags. */
export function candidatesOfPart(part: DirectoryPart): Candidates {
  return { names: part.names, flags: part.flags, listed: 0, sidecars: [], manifests: [] };
}
