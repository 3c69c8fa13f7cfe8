// How the disk walk reports what it meets that is no copy, or cannot be read: every odd entry is a
// SourceIssue of the dataset being walked, and an entry as it is (a link, a FIFO) is reported once.
import type { IssueCode, IssueParams, IssueSeverity, PhraseKey } from '../../codes.js';
import { sourceIssue } from '../../issues.js';
import { readFailureCode } from '../common/read-failure.js';
import type { EntryContext } from './walk-types.js';

/** One issue of the dataset being walked, about `path`. */
export function issue<C extends IssueCode>(
  ctx: EntryContext,
  code: C,
  params: IssueParams<C>,
  severity: IssueSeverity<C>,
): void {
  ctx.issues.push(sourceIssue(code, params, { severity, dataset: ctx.dataset, path: String(params.path) }));
}

type WarnedOnce =
  | 'B321_DANGLING_SYMLINK'
  | 'B321_SYMLINK_LOOP'
  | 'B321_SYMLINK_NOT_FOLLOWED'
  | 'B321_SYMLINK_OUTSIDE_LOCATION'
  | 'B321_SPECIAL_FILE';

/** A warning about an entry as it is, given once per dataset however many patterns meet the entry. */
export function warnOnce<C extends WarnedOnce>(ctx: EntryContext, code: C, params: IssueParams<C>): void {
  ctx.reported ??= new Set();
  const key = `${code} ${params.path}`;
  if (ctx.reported.has(key)) return;
  ctx.reported.add(key);
  issue(ctx, code, params, 'warning');
}

/** A matched entry that is no copy, and why. */
export function refuse<C extends WarnedOnce>(ctx: EntryContext, code: C, params: IssueParams<C>): void {
  ctx.refused = (ctx.refused ?? 0) + 1;
  warnOnce(ctx, code, params);
}

/** A matched FIFO, socket or device (`kind` says which): skipped, never opened (open() on a FIFO blocks). */
export function refuseSpecial(ctx: EntryContext, path: string, kind: string): void {
  refuse(ctx, 'B321_SPECIAL_FILE', { path, kind: kind as PhraseKey });
}

/** The issue for a directory that could not be listed. */
export function listFailed(ctx: EntryContext, path: string, errno: string, detail: string): void {
  const target = 'target.directory';
  if (errno === 'ENOENT') issue(ctx, 'B321_VANISHED', { target, path }, 'warning');
  else issue(ctx, readFailureCode(errno) ?? 'B321_READ_ERROR', { target, path, detail }, 'error');
}

/** The issue for an entry stat() did not answer, wherever it was stated. */
export function statFailed(ctx: EntryContext, path: string, errno: string, detail: string): void {
  const target = 'target.entry';
  if (errno === 'DANGLING') warnOnce(ctx, 'B321_DANGLING_SYMLINK', { path });
  else if (errno === 'SPECIAL') refuseSpecial(ctx, path, detail);
  else if (errno === 'OUTSIDE') refuse(ctx, 'B321_SYMLINK_OUTSIDE_LOCATION', { path, target: detail });
  else if (errno === 'ENOENT' || errno === 'ENOTDIR') issue(ctx, 'B321_VANISHED', { target, path }, 'warning');
  else if (errno === 'ELOOP') warnOnce(ctx, 'B321_SYMLINK_LOOP', { path });
  else issue(ctx, readFailureCode(errno) ?? 'B321_STAT_ERROR', { target, path, detail }, 'warning');
}
