// The one-off reads of a disk location besides its directory listings (its root, a pattern's base, a
// checksum file, a directory copy's tree), run on a walk thread: a hung mount then holds that thread,
// never the process's main one, which answers /healthz and signals and gives up on the location.
import type { Dirent } from 'node:fs';
import { errnoOf, messageOf } from '../../errno.js';
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from './file-modes.js';
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
  constants: { O_RDONLY: number; O_NONBLOCK: number; O_NOCTTY: number };
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
      return { probe: 'link-on-the-way', link: linkOnTheWay(fs, job.root, job.base) };
    case 'list':
      try {
        const entries = fs.readdirSync(job.path, { withFileTypes: true });
        return { probe: 'list', names: entries.map((e) => e.name), files: entries.map((e) => e.isFile()) };
      } catch (error) {
        return { probe: 'list', names: [], files: [], error: failure(error) };
      }
    case 'read-text':
      return readText(fs, job.path, job.limit);
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

function linkOnTheWay(fs: ProbeFs, root: string, base: string): string | undefined {
  let path = root;
  for (const part of base.split('/')) {
    if (part === '') continue;
    path = joinPath(path, part);
    let stats: ProbedStat | undefined;
    try {
      stats = fs.lstatSync(path, NO_THROW);
    } catch {
      // Denied or not a directory on the way: the walk's own stat of the base reports it.
      return undefined;
    }
    if (!stats) return undefined;
    if ((stats.mode & S_IFMT) === S_IFLNK) return path;
  }
  return undefined;
}

/**
 * Opened without blocking (O_NONBLOCK: a FIFO put where a checksum file was opens at once instead of
 * waiting for a writer), then stated through the descriptor: only a plain file is read.
 */
function readText(fs: ProbeFs, path: string, limit: number): ProbeAnswer {
  let fd: number | undefined;
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
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

/** The directory copy's tree, read here in one go; its issues go back with it (the thread has no run of its own). */
function readTree(job: Extract<ProbeJob, { probe: 'tree' }>): ProbeAnswer {
  let listed = 0;
  const ctx: EntryContext = {
    dataset: job.dataset,
    followSymlinks: job.followSymlinks,
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
