// Where a pattern's walk starts: its base directory (or, for a pattern without wildcards, the one file
// or directory it names), unless a symlink not to be followed or a read failure stands in the way.
// Every read is a probe on a walk thread (probe.ts): the walk's own thread never waits on the location.
import { isChecksumFile } from '../../integrity/checksum-file.js';
import { readFailureCode } from '../common/read-failure.js';
import { checksumFilesIn, fileMatch } from './file-match.js';
import { S_IFDIR, S_IFMT, S_IFREG, specialKind } from './file-modes.js';
import type { ProbedStat } from './walk-types.js';
import { issue, listFailed, refuseSpecial } from './walk-issues.js';
import type { Chain, WalkContext, WalkMatch } from './walk-types.js';

/**
 * With followSymlinks off: the first symbolic link on the way from the location to a pattern's base
 * (the base included), which the walk must then not pass. With followSymlinks "inside": the first
 * one that leads outside the location, and where (`target`). `link` undefined when there is none.
 */
export async function linkOnTheWay(
  ctx: WalkContext,
  base: string,
): Promise<{ link: string | undefined; target?: string }> {
  const job = { probe: 'link-on-the-way', root: ctx.root, base } as const;
  const confinedTo = ctx.followSymlinks ? ctx.confinedTo : undefined;
  return ctx.walkers.probe(confinedTo === undefined ? job : { ...job, confinedTo }, ctx.reader);
}

/** A path's stat (links followed), or undefined when it is not there (a denied or failing read is an error issue). */
export async function statBase(ctx: WalkContext, start: string): Promise<ProbedStat | undefined> {
  const answer = await ctx.walkers.probe({ probe: 'stat', path: start, follow: true }, ctx.reader);
  if (answer.error) {
    // ENOTDIR/ELOOP on the way to the base just mean "nothing there"; a denied or failing read is an error.
    const code = readFailureCode(answer.error.code);
    if (code) issue(ctx, code, { target: 'target.directory', path: start, detail: answer.error.message }, 'error');
  }
  return answer.stat;
}

/** A pattern without wildcards means the one file or directory at `start`: a match, or a refusal. */
export async function matchLiteral(
  ctx: WalkContext,
  start: string,
  stats: ProbedStat,
  rootChain: Chain | undefined,
  onMatch: (match: WalkMatch) => void,
): Promise<void> {
  const name = start.slice(start.lastIndexOf('/') + 1);
  const format = stats.mode & S_IFMT;
  if (format === S_IFREG && !isChecksumFile(name)) {
    const directory = start.slice(0, start.lastIndexOf('/')) || '/';
    const listing = await ctx.walkers.probe({ probe: 'list', path: directory }, ctx.reader);
    if (listing.error) listFailed(ctx, directory, listing.error.code, listing.error.message);
    else ctx.listed(directory);
    const { sidecars, manifests } = checksumFilesIn(directory, listing.names);
    onMatch(fileMatch(start, name, stats, sidecars, directory, manifests));
  } else if (format === S_IFDIR) {
    onMatch({
      kind: 'directory',
      path: start,
      name,
      mtimeMs: stats.mtimeMs,
      dev: stats.dev,
      ino: stats.ino,
      chain: rootChain,
    });
  } else if (format !== S_IFREG) refuseSpecial(ctx, start, specialKind(format));
}
