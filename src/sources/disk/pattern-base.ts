// Where a pattern's walk starts: its base directory (or, for a pattern without wildcards, the one file
// or directory it names), unless a symlink not to be followed or a read failure stands in the way.
import { lstatSync, type Stats, statSync } from 'node:fs';
import { errnoCode, errorMessage } from '../../errors.js';
import { isChecksumFile } from '../../integrity/checksum-file.js';
import { readFailureCode } from '../common/read-failure.js';
import { checksumFilesIn, fileMatch } from './file-match.js';
import { S_IFMT, specialKind } from './file-modes.js';
import { joinPath, listDirectory } from './walk-entries.js';
import { issue, refuseSpecial } from './walk-issues.js';
import type { Chain, WalkContext, WalkMatch } from './walk-types.js';

/**
 * With followSymlinks off: the first symbolic link on the way from the location to a pattern's
 * base (the base included), which the walk must then not pass; undefined when there is none.
 */
export function linkOnTheWay(root: string, base: string): string | undefined {
  let path = root;
  for (const part of base.split('/')) {
    if (part === '') continue;
    path = joinPath(path, part);
    let stats: Stats | undefined;
    try {
      stats = lstatSync(path, { throwIfNoEntry: false });
    } catch {
      // Denied or not a directory on the way: the walk's own stat of the base reports it.
      return undefined;
    }
    if (!stats) return undefined;
    if (stats.isSymbolicLink()) return path;
  }
  return undefined;
}

/** The base's stat, or undefined when it is not there (a denied or failing read is an error issue). */
export function statBase(ctx: WalkContext, start: string): Stats | undefined {
  try {
    return statSync(start, { throwIfNoEntry: false });
  } catch (error) {
    // ENOTDIR/ELOOP on the way to the base just mean "nothing there"; a denied or failing read is an error.
    const code = readFailureCode(errnoCode(error));
    if (code) issue(ctx, code, { target: 'target.directory', path: start, detail: errorMessage(error) }, 'error');
    return undefined;
  }
}

/** A pattern without wildcards means the one file or directory at `start`: a match, or a refusal. */
export function matchLiteral(
  ctx: WalkContext,
  start: string,
  stats: Stats,
  rootChain: Chain | undefined,
  onMatch: (match: WalkMatch) => void,
): void {
  const name = start.slice(start.lastIndexOf('/') + 1);
  if (stats.isFile() && !isChecksumFile(name)) {
    const directory = start.slice(0, start.lastIndexOf('/')) || '/';
    const { sidecars, manifests } = checksumFilesIn(directory, listDirectory(ctx, directory) ?? []);
    onMatch(fileMatch(start, name, stats, sidecars, directory, manifests));
  } else if (stats.isDirectory()) {
    onMatch({
      kind: 'directory',
      path: start,
      name,
      mtimeMs: stats.mtimeMs,
      dev: stats.dev,
      ino: stats.ino,
      chain: rootChain,
    });
  } else if (!stats.isFile()) refuseSpecial(ctx, start, specialKind(stats.mode & S_IFMT));
}
