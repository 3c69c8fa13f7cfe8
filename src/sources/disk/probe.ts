// The one-off reads of a disk location besides its directory listings (its root, a pattern's base, a
// checksum file, a directory copy's tree), run on a walk thread: a hung mount then holds that thread,
// never the process's main one, which answers /healthz and signals and gives up on the location.
import type { Dirent } from 'node:fs';
import { errnoOf, messageOf } from '../../errno.js';
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from './file-modes.js';
import { outsideTarget } from './link-target.js';
import { summariseTree } from './tree.js';
import { joinPath } from './walk-entries.js';
import type { EntryContext, ProbeAnswer, ProbedStat, ProbeFailure, ProbeJob } from './walk-types.js';

/** A failed probe's error, from the thrown error (ENOENT and the rest keep their errno). */
function failure(error: unknown): ProbeFailure {
  return { code: errnoOf(error) ?? 'EIO', message: messageOf(error) };
}

/** What a probe uses of node:fs. */
export interface ProbeFs {
  statSync(path: string, options: { throwIfNoEntry: false }): ProbedStat | undefined;
  lstatSync(path: string, options: { throwIfNoEntry: false }): ProbedStat | undefined;
  readdirSync(path: string, options: { withFileTypes: true }): Dirent[];
  realpathSync(path: string): string;
  openSync(path: string, flags: number): number;
  fstatSync(fd: number): ProbedStat;
  readSync(fd: number, buffer: Buffer, offset: number, length: number, position: number | null): number;
  closeSync(fd: number): void;
  constants: { O_RDONLY: number; O_NONBLOCK: number; O_NOCTTY: number; O_NOFOLLOW: number };
}

const NO_THROW = { throwIfNoEntry: false } as const;

function plain(stats: ProbedStat): ProbedStat {
  const { dev, ino, size, mode, mtimeMs, ctimeMs } = stats;
  return { dev, ino, size, mode, mtimeMs, ctimeMs };
}

/** Runs one probe, synchronously: on a walk thread, where blocking holds only that thread. */
export function runProbe(fs: ProbeFs, job: ProbeJob): ProbeAnswer {
  switch (job.probe) {
    case 'stat':
      try {
        const stats = job.follow ? fs.statSync(job.path, NO_THROW) : fs.lstatSync(job.path, NO_THROW);
        return { probe: 'stat', stat: stats && plain(stats) };
      } catch (error) {
        return { probe: 'stat', stat: undefined, error: failure(error) };
      }
    case 'link-on-the-way':
      return { probe: 'link-on-the-way', ...linkOnTheWay(fs, job.root, job.base, job.confinedTo) };
    case 'list':
      try {
        const entries = fs.readdirSync(job.path, { withFileTypes: true });
        return { probe: 'list', names: entries.map((e) => e.name), files: entries.map((e) => e.isFile()) };
      } catch (error) {
        return { probe: 'list', names: [], files: [], error: failure(error) };
      }
    case 'read-text':
      return readText(fs, job);
    case 'realpath': {
      let real = job.path;
      try {
        real = fs.realpathSync(job.path);
      } catch {
        // The host then looks the path up as it was written.
      }
      let dev: number | undefined;
      try {
        dev = fs.statSync(real, NO_THROW)?.dev;
      } catch {
        dev = undefined;
      }
      return { probe: 'realpath', real, dev };
    }
    case 'tree':
      return readTree(job);
  }
}

/**
 * The first link on the way down from `root` to `base`; with `confinedTo`, the first that leads outside
 * it, and where (its real path also resolves every link before it on the way).
 */
function linkOnTheWay(
  fs: ProbeFs,
  root: string,
  base: string,
  confinedTo: string | undefined,
): { link: string | undefined; target?: string } {
  let path = root;
  for (const part of base.split('/')) {
    if (part === '') continue;
    path = joinPath(path, part);
    let stats: ProbedStat | undefined;
    try {
      stats = fs.lstatSync(path, NO_THROW);
    } catch {
      // Denied or not a directory on the way: the walk's own stat of the base reports it.
      return { link: undefined };
    }
    if (!stats) return { link: undefined };
    if ((stats.mode & S_IFMT) !== S_IFLNK) continue;
    if (confinedTo === undefined) return { link: path };
    const target = outsideTarget((p) => fs.realpathSync(p), path, confinedTo);
    if (target !== undefined) return { link: path, target };
  }
  return { link: undefined };
}

/**
 * Opened without blocking (O_NONBLOCK: a FIFO put where a checksum file was opens at once instead of
 * waiting for a writer), then stated through the descriptor: only a plain file is read. A link is
 * opened only as the location's followSymlinks allows (openChecksumFile).
 */
function readText(fs: ProbeFs, job: Extract<ProbeJob, { probe: 'read-text' }>): ProbeAnswer {
  const { path, limit } = job;
  let fd: number | undefined;
  try {
    const opened = openChecksumFile(fs, job);
    if (typeof opened !== 'number') return { probe: 'read-text', error: opened };
    fd = opened;
    const stats = fs.fstatSync(fd);
    const format = stats.mode & S_IFMT;
    if (format !== S_IFREG) {
      const code = format === S_IFDIR ? 'EISDIR' : 'SPECIAL';
      return { probe: 'read-text', error: { code, message: `${path} is no plain file` } };
    }
    if (stats.size > limit) return { probe: 'read-text', size: stats.size, mtimeMs: stats.mtimeMs };
    const buffer = Buffer.allocUnsafe(Math.min(limit, stats.size) + 1);
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      // Grew past the limit while read: as too large as if stated so.
      if (length > limit) return { probe: 'read-text', size: length, mtimeMs: stats.mtimeMs };
      if (length === buffer.length) break;
    }
    return { probe: 'read-text', text: buffer.toString('utf8', 0, length), mtimeMs: stats.mtimeMs, size: length };
  } catch (error) {
    return { probe: 'read-text', error: failure(error) };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * The checksum file at job.path opened, unless it is a link the location's followSymlinks does not
 * let it follow: false ('NOT_FOLLOWED'), or "inside" and it leads outside ('OUTSIDE', the message
 * where). Then the first open does not follow a link (O_NOFOLLOW fails on one with ELOOP): a plain
 * checksum file costs no lstat before it.
 */
function openChecksumFile(fs: ProbeFs, job: Extract<ProbeJob, { probe: 'read-text' }>): number | ProbeFailure {
  const flags = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY;
  if (job.followSymlinks !== false && job.confinedTo === undefined) return fs.openSync(job.path, flags);
  try {
    return fs.openSync(job.path, flags | fs.constants.O_NOFOLLOW);
  } catch (error) {
    if (errnoOf(error) !== 'ELOOP') throw error;
  }
  if (job.followSymlinks === false) return { code: 'NOT_FOLLOWED', message: job.path };
  const target = outsideTarget((p) => fs.realpathSync(p), job.path, job.confinedTo as string);
  return target === undefined ? fs.openSync(job.path, flags) : { code: 'OUTSIDE', message: target };
}

/** The directory copy's tree, read here in one go; its issues go back with it (the thread has no run of its own). */
function readTree(job: Extract<ProbeJob, { probe: 'tree' }>): ProbeAnswer {
  let listed = 0;
  const ctx: EntryContext = {
    dataset: job.dataset,
    followSymlinks: job.followSymlinks,
    confinedTo: job.confinedTo,
    issues: [],
    listed: () => {
      listed += 1;
    },
    reported: new Set(),
    refused: 0,
  };
  const summary = summariseTree(ctx, job.directory);
  return { probe: 'tree', summary, issues: ctx.issues, listed };
}
