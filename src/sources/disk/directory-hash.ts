// A directory copy's checksum: the sha256 of its sorted `sha256sum` manifest, made up as its files' hashes come in.
import { createHash } from 'node:crypto';
import type { HashOutcome } from '../../integrity/types.js';
import type { ContentChange, Copy } from '../../model.js';

/**
 * The running state of a directory copy's hash. Its sha256 is that of its sorted `sha256sum`
 * manifest ("<sha256>  <relative path>\n" lines, sorted), so `find . -type f -exec sha256sum {} + |
 * sort` inside the directory reproduces it; set only when every file hashed and the listing was whole.
 */
export interface DirectoryHash {
  copy: Copy;
  lines: string[];
  pending: number;
  failure: string | undefined;
  hashedAt: string;
  /** Some file of it was hashed by this run, not taken from the cache (verify --deep --budget reads it again only when none was). */
  readNow: boolean;
  /** Files inside whose content changed behind an unchanged size and mtime: their line now → their line before. */
  changed: Map<string, { line: string; change: ContentChange }> | undefined;
}

/** A directory copy whose `fileCount` files are to be hashed; `incomplete`: its listing was not whole, so no digest. */
export function startDirectoryHash(copy: Copy, fileCount: number, incomplete: boolean, now: Date): DirectoryHash {
  const state: DirectoryHash = {
    copy,
    lines: [],
    pending: fileCount,
    failure: incomplete ? 'unreadable' : undefined,
    hashedAt: '',
    readNow: false,
    changed: undefined,
  };
  if (fileCount === 0) finishDirectory(state, now);
  return state;
}

function finishDirectory(state: DirectoryHash, now: Date): void {
  if (state.failure) {
    state.copy.hashError = state.failure;
    return;
  }
  state.lines.sort();
  state.copy.sha256 = manifestSha256(state.lines);
  state.copy.hashedAt = state.hashedAt || now.toISOString();
  if (state.changed) state.copy.contentChanged = directoryChange(state.lines, state.changed);
  state.lines = [];
}

function manifestSha256(sortedLines: string[]): string {
  return createHash('sha256').update(sortedLines.join(''), 'utf8').digest('hex');
}

/**
 * A directory copy whose files changed behind an unchanged size and mtime changed too: what its
 * manifest hashed to with those files' earlier content, the latest of their earlier reads (as a
 * directory's hashedAt is its latest file's), and the latest finding.
 */
function directoryChange(lines: string[], changed: NonNullable<DirectoryHash['changed']>): ContentChange {
  const before = lines.map((line) => changed.get(line)?.line ?? line).sort();
  const changes = [...changed.values()].map((entry) => entry.change);
  const latest = (pick: (change: ContentChange) => string) => changes.map(pick).sort().at(-1) as string;
  return {
    previousSha256: manifestSha256(before),
    previousHashedAt: latest((change) => change.previousHashedAt),
    detectedAt: latest((change) => change.detectedAt),
  };
}

/** One of the directory's files hashed (or not): its manifest line, and the directory's digest once the last is in. */
export function addToDirectory(directory: DirectoryHash, relative: string, outcome: HashOutcome, now: Date): void {
  if (outcome.ok) {
    const line = `${outcome.sha256}  ${relative}\n`;
    directory.lines.push(line);
    if (outcome.hashedAt > directory.hashedAt) directory.hashedAt = outcome.hashedAt;
    if (!outcome.fromCache) directory.readNow = true;
    const change = outcome.contentChanged;
    if (change) {
      directory.changed ??= new Map();
      directory.changed.set(line, { line: `${change.previousSha256}  ${relative}\n`, change });
    }
  } else directory.failure ??= outcome.reason;
  directory.pending -= 1;
  if (directory.pending === 0) finishDirectory(directory, now);
}
