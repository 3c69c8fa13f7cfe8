// Summarises a directory copy: its files (for the manifest hash), total bytes and newest mtime.
import { realpathSync } from 'node:fs';
import { outsideTarget } from './link-target.js';
import { inChain, joinPath, keyOf, listDirectory, statEntry } from './walk-entries.js';
import { warnOnce } from './walk-issues.js';
import type { Chain, DirectoryMatch, EntryContext, TreeSummary } from './walk-types.js';

/** What a link in the copy may be without making its listing less than the whole content. */
const AS_IT_IS = new Set(['B321_SYMLINK_LOOP', 'B321_DANGLING_SYMLINK', 'B321_SYMLINK_OUTSIDE_LOCATION']);

/**
 * Reads every file under a matched directory (checksum files too: they are part of its content), in one
 * go: on a walk thread (probe.ts), where blocking holds no event loop anyone waits on.
 */
export function summariseTree(ctx: EntryContext, directory: DirectoryMatch): TreeSummary {
  const summary: TreeSummary = { files: [], bytes: 0, newestMtimeMs: directory.mtimeMs, incomplete: false };
  const issuesBefore = ctx.issues.length;
  const stack: Array<{ path: string; relative: string; chain: Chain }> = [
    { path: directory.path, relative: '', chain: { key: keyOf(directory), parent: directory.chain } },
  ];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    const entries = listDirectory(ctx, frame.path);
    if (!entries) continue;
    for (const entry of entries) {
      const symlink = entry.isSymbolicLink();
      if (symlink && !ctx.followSymlinks) continue;
      if (!symlink && !entry.isFile() && !entry.isDirectory()) continue;
      const path = joinPath(frame.path, entry.name);
      if (symlink && ctx.confinedTo !== undefined) {
        // Every entry of a directory copy is its content: a link out of the location is said each time.
        const target = outsideTarget(realpathSync, path, ctx.confinedTo);
        if (target !== undefined) {
          warnOnce(ctx, 'B321_SYMLINK_OUTSIDE_LOCATION', { path, target });
          continue;
        }
      }
      const relative = frame.relative === '' ? entry.name : `${frame.relative}/${entry.name}`;
      const stats = statEntry(ctx, path, symlink);
      if (!stats) continue;
      if (stats.mtimeMs > summary.newestMtimeMs) summary.newestMtimeMs = stats.mtimeMs;
      if (stats.isFile()) {
        summary.files.push({
          path,
          relative,
          dev: stats.dev,
          ino: stats.ino,
          size: stats.size,
          mtimeMs: stats.mtimeMs,
          ctimeMs: stats.ctimeMs,
        });
        summary.bytes += stats.size;
      } else if (stats.isDirectory()) {
        const key = keyOf(stats);
        if (inChain(frame.chain, key)) warnOnce(ctx, 'B321_SYMLINK_LOOP', { path });
        else stack.push({ path, relative, chain: { key, parent: frame.chain } });
      }
    }
  }
  // Denied or vanished entries mean the listing is not the whole content; loops, dangling links and
  // links out of the location are part of the content as it is (they would restore the same way), so
  // they do not.
  summary.incomplete = ctx.issues.slice(issuesBefore).some((found) => !AS_IT_IS.has(found.code));
  return summary;
}
