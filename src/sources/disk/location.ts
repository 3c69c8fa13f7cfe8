// A disk location as a whole: whether its root can be read, what the host says its medium is, how a
// restore reads from it, and the host's answer on its copies.
import type { DiskLocationConfig } from '../../config/types.js';
import { errorMessage } from '../../errors.js';
import type { HostMedia, PathMedium } from '../../host/types.js';
import { sourceIssue } from '../../issues.js';
import type { Copy, LocationStatus, RestorePath, SourceIssue } from '../../model.js';
import { readFailureCode } from '../common/read-failure.js';
import { S_IFDIR, S_IFMT } from './file-modes.js';
import type { LocationReader, WalkPool } from './walk-pool.js';

/** The location's st_dev, or why the location as a whole cannot be read (an error issue). */
export async function checkRoot(
  path: string,
  ask: WalkPool,
  reader: LocationReader,
): Promise<{ dev: number } | { problem: SourceIssue }> {
  const place = { severity: 'error', path } as const;
  const { stat, error } = await ask.probe({ probe: 'stat', path, follow: true }, reader);
  if (error) {
    // A file where a directory of the path should be: there is no such directory.
    if (error.code === 'ENOTDIR') return { problem: sourceIssue('B321_LOCATION_MISSING', { path }, place) };
    const params = { target: 'target.location', path, detail: error.message } as const;
    return { problem: sourceIssue(readFailureCode(error.code) ?? 'B321_READ_ERROR', params, place) };
  }
  if (!stat) return { problem: sourceIssue('B321_LOCATION_MISSING', { path }, place) };
  if ((stat.mode & S_IFMT) !== S_IFDIR) return { problem: sourceIssue('B321_NOT_A_DIRECTORY', { path }, place) };
  return { dev: stat.dev };
}

/**
 * What the host says holds `path`; without its answer, the directory's own st_dev (and a warning). The
 * path is resolved and stated on a walk thread: the host only reads its own tables.
 */
export async function mediumOf(
  path: string,
  host: HostMedia,
  issues: SourceIssue[],
  ask: WalkPool,
  reader: LocationReader,
): Promise<PathMedium> {
  const { real, dev } = await ask.probe({ probe: 'realpath', path }, reader);
  try {
    return await host.resolve(path, { real, dev });
  } catch (error) {
    // Without the host's answer the copies are still there; the directory's own st_dev is a safe failure domain.
    issues.push(sourceIssue('B321_HOST_MEDIA', { path, detail: errorMessage(error) }, { severity: 'warning', path }));
    return {
      medium: 'disk',
      device: `dev:${dev ?? path}`,
      mount: '',
      fsType: '',
      source: '',
      removable: false,
      network: false,
    };
  }
}

export function restorePathOf(location: DiskLocationConfig): RestorePath {
  const restore: RestorePath = { retrievalMs: location.retrievalMs };
  if (location.throughputBytesPerSec !== undefined) {
    restore.throughputBytesPerSec = location.throughputBytesPerSec;
    restore.throughputSource = 'configured';
  }
  return restore;
}

/** The host's answer for the location: in its status facts, and on every copy the config does not set. */
export function giveHostAnswer(
  location: DiskLocationConfig,
  host: PathMedium,
  status: LocationStatus,
  copies: Copy[],
): void {
  const { mount, fsType, medium, device, source, removable, network } = host;
  Object.assign(status.facts, { mount, fsType, medium, device, source, removable, network });
  if (!location.medium || !location.device) setMedium(copies, location.medium ?? medium, location.device ?? device);
}

/** The host's answer, on every copy: a loop of its own, indexed, so it costs no compile of its caller nor an iterator. */
function setMedium(copies: Copy[], medium: Copy['medium'], device: string): void {
  for (let i = 0; i < copies.length; i++) {
    const copy = copies[i] as Copy;
    copy.medium = medium;
    copy.device = device;
  }
}
