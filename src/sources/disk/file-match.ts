// A matched file as the walk reports it: its stat and the checksum files beside it.
import { isChecksumFile, MANIFEST_NAMES } from '../../integrity/checksum-file.js';
import type { DirectoryListing } from './directory-job.js';
import { joinPath } from './walk-entries.js';
import type { FileMatch, FileStat } from './walk-types.js';

/** Checksum files of a directory: sidecars by name, manifests by path. */
export interface ChecksumFiles {
  sidecars: Set<string>;
  manifests: string[];
}

export function checksumFilesIn(directory: string, names: readonly string[]): ChecksumFiles {
  const sidecars = new Set<string>();
  const manifests: string[] = [];
  for (const name of names) {
    if (!isChecksumFile(name)) continue;
    if ((MANIFEST_NAMES as readonly string[]).includes(name)) manifests.push(joinPath(directory, name));
    else sidecars.add(name);
  }
  return { sidecars, manifests };
}

/** Shared by the (usual) files with no checksum file beside them: one array instead of a million. */
const NONE: string[] = [];
const NO_SIDECARS = new Set<string>();

export function fileMatch(
  path: string,
  name: string,
  stats: FileStat,
  sidecarNames: Set<string>,
  directory: string,
  manifests: string[],
): FileMatch {
  const found =
    sidecarNames.size === 0 ? NONE : [`${name}.sha256`, `${name}.sha256sum`].filter((n) => sidecarNames.has(n));
  return {
    kind: 'file',
    path,
    name,
    dev: stats.dev,
    ino: stats.ino,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    ctimeMs: stats.ctimeMs,
    sidecars: found.length === 0 ? NONE : found.map((n) => joinPath(directory, n)),
    manifests: manifests.length === 0 ? NONE : manifests,
  };
}

/** The checksum files a thread's listing of `directory` named (its first part: further ones name none). */
export function checksumFilesOf(directory: string, listing: DirectoryListing): ChecksumFiles {
  return {
    sidecars: listing.sidecars.length === 0 ? NO_SIDECARS : new Set(listing.sidecars),
    manifests: listing.manifests.length === 0 ? NONE : listing.manifests.map((name) => joinPath(directory, name)),
  };
}
