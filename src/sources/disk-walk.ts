// The read-only tree walk of a disk location: synchronous listing and stat in batches (fast), with
// periodic yields so the event loop stays live, and every odd entry turned into a SourceIssue.
import { type Dirent, type Stats, lstatSync, readdirSync, statSync } from 'node:fs';
import { errnoCode, errorMessage } from '../errors.js';
import { isChecksumFile, MANIFEST_NAMES } from '../integrity/checksum-file.js';
import type { SourceIssue } from '../model.js';
import type { CompiledPattern } from './disk-patterns.js';

/** The stat fields a copy needs; kept instead of Stats so a million entries stay small. */
export interface FileFacts {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export interface FileMatch extends FileFacts {
  kind: 'file';
  path: string;
  name: string;
  /** Checksum files seen beside it in the same listing (absolute paths), for recorded checksums. */
  sidecars: string[];
  manifests: string[];
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
}

export const ENTRIES_PER_PAUSE = 2048;

/** Joins without normalising (the walk builds millions of paths); copes with a location at "/". */
export function joinPath(directory: string, name: string): string {
  return directory.endsWith('/') ? `${directory}${name}` : `${directory}/${name}`;
}

export function keyOf(stats: { dev: number; ino: number }): string {
  return `${stats.dev}:${stats.ino}`;
}

export function inChain(chain: Chain | undefined, key: string): boolean {
  for (let link = chain; link; link = link.parent) if (link.key === key) return true;
  return false;
}

/** Counts one entry; true when it is time to await ctx.pause(). Synchronous on purpose: an `await`
 *  per entry (a promise and a microtask each) made the walk twice as slow as find(1). */
export function pauseDue(ctx: WalkContext): boolean {
  ctx.budget -= 1;
  if (ctx.budget > 0) return false;
  ctx.budget = ENTRIES_PER_PAUSE;
  return true;
}

export function issue(
  ctx: WalkContext,
  severity: SourceIssue['severity'],
  code: string,
  path: string,
  message: string,
): void {
  ctx.issues.push({ severity, code, message, dataset: ctx.dataset, path });
}

/** Lists a directory; a failure becomes an issue (EACCES is an error: the dataset cannot be judged). */
export function listDirectory(ctx: WalkContext, path: string): Dirent[] | undefined {
  try {
    const entries = readdirSync(path, { withFileTypes: true });
    ctx.listed(path);
    return entries;
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') issue(ctx, 'warning', 'B321_VANISHED', path, `directory vanished during the walk: ${path}`);
    else if (code === 'EACCES' || code === 'EPERM')
      issue(ctx, 'error', 'B321_EACCES', path, `permission denied reading directory ${path}`);
    else issue(ctx, 'error', 'B321_READ_ERROR', path, `cannot read directory ${path}: ${errorMessage(error)}`);
    return undefined;
  }
}

/**
 * Stats an entry (following symlinks when allowed); undefined with an issue when it vanished, dangles
 * or cannot be read. `lstat` is used only to tell "dangling symlink" from "vanished".
 */
export function statEntry(ctx: WalkContext, path: string, isSymlink: boolean): Stats | undefined {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats) return stats;
    if (isSymlink && lstatSync(path, { throwIfNoEntry: false })) {
      issue(ctx, 'warning', 'B321_DANGLING_SYMLINK', path, `symbolic link points nowhere: ${path}`);
    } else {
      issue(ctx, 'warning', 'B321_VANISHED', path, `entry vanished during the walk: ${path}`);
    }
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ELOOP') issue(ctx, 'warning', 'B321_SYMLINK_LOOP', path, `symbolic link loop at ${path}`);
    else issue(ctx, 'warning', 'B321_STAT_ERROR', path, `cannot stat ${path}: ${errorMessage(error)}`);
  }
  return undefined;
}

function checksumFilesIn(directory: string, entries: Dirent[]): { sidecars: Set<string>; manifests: string[] } {
  const sidecars = new Set<string>();
  const manifests: string[] = [];
  for (const entry of entries) {
    if (!isChecksumFile(entry.name)) continue;
    if ((MANIFEST_NAMES as readonly string[]).includes(entry.name)) manifests.push(joinPath(directory, entry.name));
    else sidecars.add(entry.name);
  }
  return { sidecars, manifests };
}

/** Shared by the (usual) files with no checksum file beside them: one array instead of a million. */
const NONE: string[] = [];

function fileMatch(
  path: string,
  name: string,
  stats: Stats,
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
    sidecars: found.length === 0 ? NONE : found.map((n) => joinPath(directory, n)),
    manifests: manifests.length === 0 ? NONE : manifests,
  };
}

interface Frame {
  path: string;
  relative: string;
  depth: number;
  chain: Chain;
}

/** Walks from the pattern's static base, reporting each matching file or directory exactly once. */
export async function walkPattern(
  ctx: WalkContext,
  pattern: CompiledPattern,
  onMatch: (match: WalkMatch) => void,
): Promise<void> {
  const start = pattern.base === '' ? ctx.root : joinPath(ctx.root, pattern.base);
  const rootStats = statSync(ctx.root, { throwIfNoEntry: false });
  const rootChain: Chain | undefined = rootStats ? { key: keyOf(rootStats), parent: undefined } : undefined;
  let startStats: Stats | undefined;
  try {
    startStats = statSync(start, { throwIfNoEntry: false });
  } catch (error) {
    // ENOTDIR/ELOOP on the way to the base just mean "nothing there"; denied access is an error.
    const code = errnoCode(error);
    if (code === 'EACCES' || code === 'EPERM')
      issue(ctx, 'error', 'B321_EACCES', start, `permission denied reaching ${start}`);
  }
  // A missing base is reported once, as "no match", by the caller.
  if (!startStats) return;
  const name = start.slice(start.lastIndexOf('/') + 1);
  if (pattern.literal) {
    if (startStats.isFile() && !isChecksumFile(name)) {
      const directory = start.slice(0, start.lastIndexOf('/')) || '/';
      const { sidecars, manifests } = checksumFilesIn(directory, listDirectory(ctx, directory) ?? []);
      onMatch(fileMatch(start, name, startStats, sidecars, directory, manifests));
    } else if (startStats.isDirectory()) {
      onMatch({
        kind: 'directory',
        path: start,
        name,
        mtimeMs: startStats.mtimeMs,
        dev: startStats.dev,
        ino: startStats.ino,
        chain: rootChain,
      });
    }
    return;
  }
  if (!startStats.isDirectory()) return;
  const stack: Frame[] = [
    { path: start, relative: pattern.base, depth: 0, chain: { key: keyOf(startStats), parent: rootChain } },
  ];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    const entries = listDirectory(ctx, frame.path);
    if (!entries) continue;
    const { sidecars, manifests } = checksumFilesIn(frame.path, entries);
    for (const entry of entries) {
      if (pauseDue(ctx)) await ctx.pause();
      const symlink = entry.isSymbolicLink();
      if (symlink && !ctx.followSymlinks) continue;
      const plainFile = !symlink && entry.isFile();
      if (!symlink && !plainFile && !entry.isDirectory()) continue; // fifos, sockets, devices
      const relative = frame.relative === '' ? entry.name : `${frame.relative}/${entry.name}`;
      const matched = pattern.matches(relative);
      const deeper = frame.depth + 1 < pattern.maxDepth;
      const checksumFile = (plainFile || symlink) && isChecksumFile(entry.name);
      // A file that does not match needs no stat at all: that is most of the speed on big trees.
      if (plainFile && (!matched || checksumFile)) continue;
      if (!symlink && !plainFile && !matched && !deeper) continue;
      const path = joinPath(frame.path, entry.name);
      const stats = statEntry(ctx, path, symlink);
      if (!stats) continue;
      if (stats.isFile()) {
        if (matched && !checksumFile) onMatch(fileMatch(path, entry.name, stats, sidecars, frame.path, manifests));
      } else if (stats.isDirectory()) {
        const key = keyOf(stats);
        if (inChain(frame.chain, key)) {
          issue(ctx, 'warning', 'B321_SYMLINK_LOOP', path, `directory loop: ${path} leads back to an ancestor`);
        } else if (matched) {
          onMatch({
            kind: 'directory',
            path,
            name: entry.name,
            mtimeMs: stats.mtimeMs,
            dev: stats.dev,
            ino: stats.ino,
            chain: frame.chain,
          });
        } else if (deeper) {
          stack.push({ path, relative, depth: frame.depth + 1, chain: { key, parent: frame.chain } });
        }
      }
    }
  }
}
