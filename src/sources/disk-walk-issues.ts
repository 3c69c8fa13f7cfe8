// How the disk walk reports what it meets that is no copy, or cannot be read: every odd entry is a
// SourceIssue of the dataset being walked, and an entry as it is (a link, a FIFO) is reported once.
import type { Stats } from 'node:fs';
import type { SourceIssue } from '../model.js';
import type { WalkContext } from './disk-walk.js';

/** One issue of the dataset being walked. */
export function issue(
  ctx: WalkContext,
  severity: SourceIssue['severity'],
  code: string,
  path: string,
  message: string,
): void {
  ctx.issues.push({ severity, code, message, dataset: ctx.dataset, path });
}

/** A warning about an entry as it is, given once per dataset however many patterns meet the entry. */
export function warnOnce(ctx: WalkContext, code: string, path: string, message: string): void {
  ctx.reported ??= new Set();
  const key = `${code} ${path}`;
  if (ctx.reported.has(key)) return;
  ctx.reported.add(key);
  issue(ctx, 'warning', code, path, message);
}

/** A matched entry that is no copy, and why. */
export function refuse(ctx: WalkContext, code: string, path: string, message: string): void {
  ctx.refused = (ctx.refused ?? 0) + 1;
  warnOnce(ctx, code, path, message);
}

/** A matched FIFO, socket or device (`kind` says which): skipped, never opened (open() on a FIFO blocks). */
export function refuseSpecial(ctx: WalkContext, path: string, kind: string): void {
  refuse(ctx, 'B321_SPECIAL_FILE', path, `not a file or directory (${kind}), skipped without opening it: ${path}`);
}

/** The issue for a directory that could not be listed. */
export function listFailed(ctx: WalkContext, path: string, code: string, message: string): void {
  if (code === 'ENOENT') issue(ctx, 'warning', 'B321_VANISHED', path, `directory vanished during the walk: ${path}`);
  else if (code === 'EACCES' || code === 'EPERM')
    issue(ctx, 'error', 'B321_EACCES', path, `permission denied reading directory ${path}`);
  else issue(ctx, 'error', 'B321_READ_ERROR', path, `cannot read directory ${path}: ${message}`);
}

/** The issue for an entry stat() did not answer, wherever it was stated. */
export function statFailed(ctx: WalkContext, path: string, code: string, message: string): void {
  if (code === 'DANGLING') warnOnce(ctx, 'B321_DANGLING_SYMLINK', path, `symbolic link points nowhere: ${path}`);
  else if (code === 'SPECIAL') refuseSpecial(ctx, path, message);
  else if (code === 'ENOENT' || code === 'ENOTDIR')
    issue(ctx, 'warning', 'B321_VANISHED', path, `entry vanished during the walk: ${path}`);
  else if (code === 'ELOOP') warnOnce(ctx, 'B321_SYMLINK_LOOP', path, `symbolic link loop at ${path}`);
  else issue(ctx, 'warning', 'B321_STAT_ERROR', path, `cannot stat ${path}: ${message}`);
}

/** What a FIFO, socket or device found by a literal pattern is called (walk-worker-source.ts names them the same). */
export function specialKind(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  return stats.isBlockDevice() ? 'a block device' : 'neither a file nor a directory';
}
