// A disk location as a whole: whether its root can be read, what the host says its medium is, how a
// restore reads from it, and the host's answer on its copies.
import { statSync } from 'node:fs';
import type { DiskLocationConfig } from '../../config/types.js';
import { errnoCode, errorMessage } from '../../errors.js';
import type { HostMedia, PathMedium } from '../../host/types.js';
import { sourceIssue } from '../../issues.js';
import type { Copy, LocationStatus, RestorePath, SourceIssue } from '../../model.js';
import { readFailureCode } from '../common/read-failure.js';

/** The location's st_dev, or why the location as a whole cannot be read (an error issue). */
export function checkRoot(path: string): { dev: number } | { problem: SourceIssue } {
  const place = { severity: 'error', path } as const;
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats) return { problem: sourceIssue('B321_LOCATION_MISSING', { path }, place) };
    if (!stats.isDirectory()) return { problem: sourceIssue('B321_NOT_A_DIRECTORY', { path }, place) };
    return { dev: stats.dev };
  } catch (error) {
    const errno = errnoCode(error);
    // A file where a directory of the path should be: there is no such directory.
    if (errno === 'ENOTDIR') return { problem: sourceIssue('B321_LOCATION_MISSING', { path }, place) };
    const params = { target: 'target.location', path, detail: errorMessage(error) } as const;
    return { problem: sourceIssue(readFailureCode(errno) ?? 'B321_READ_ERROR', params, place) };
  }
}

/** What the host says holds `path`; without its answer, the directory's own st_dev (and a warning). */
export async function mediumOf(path: string, host: HostMedia, issues: SourceIssue[]): Promise<PathMedium> {
  try {
    return await host.resolve(path);
  } catch (error) {
    // Without the host's answer the copies are still there; the directory's own st_dev is a safe failure domain.
    issues.push(sourceIssue('B321_HOST_MEDIA', { path, detail: errorMessage(error) }, { severity: 'warning', path }));
    const dev = statSync(path, { throwIfNoEntry: false })?.dev;
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
