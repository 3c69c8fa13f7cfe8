// The one interface every source implements: read a location, return copies and a status, never write.
import type { Logger } from 'pino';
import type { DatasetPatterns } from '../config/types.js';
import type { HostMedia } from '../host/types.js';
import type { ChecksumService } from '../integrity/types.js';
import type { SourceIssue, SourceResult, SourceState } from '../model.js';
import type { WalkPool } from './disk/walk-pool.js';
import type { Rereads } from './rereads.js';

export interface SourceContext {
  /** Datasets (selected for this run) that keep copies at this location, with their patterns. */
  datasets: DatasetPatterns[];
  /** The run's clock reading: sources never read the clock themselves for policy purposes. */
  now: Date;
  /**
   * How far ahead of `now` a time a source reads may lie (the config's global policy.clockSkew;
   * default 5 min): a logged event dated further ahead is reported and decides nothing.
   */
  clockSkewMs?: number;
  /** --deep: ignore the checksum cache and re-hash / re-download what the source can. */
  deep: boolean;
  /**
   * verify --deep --budget: the run reads quickly (`deep` is false), then re-reads the copies confirmed
   * longest ago within the budget. A source hands over here what it can read again (a disk location the
   * files and directories whose hashes came from the cache, a bucket the objects it may download), once
   * its inventory is done; it reads none of them itself.
   */
  offerRereads?: (rereads: Rereads) => void;
  stateDir: string;
  /** Another process holds the state dir: a source may read what it keeps there, and writes nothing. */
  stateReadOnly?: boolean;
  logger: Logger;
  checksums: ChecksumService;
  host: HostMedia;
  /**
   * Threads that read directories for the disk sources (src/sources/disk/walk-pool.ts). verify() starts
   * them first thing, so their start-up overlaps loading the cache and probing the host; without
   * them a disk source reads every directory on its own thread.
   */
  walkers?: WalkPool;
  signal?: AbortSignal;
  /** Called as work advances (bytes hashed, objects listed) so a TTY can show progress. */
  progress?: (event: { location: string; phase: string; done: number; total?: number }) => void;
}

export interface Source {
  id: string;
  type: 'disk' | 's3' | 'offline-log';
  inventory(ctx: SourceContext): Promise<SourceResult>;
}

/**
 * A location's state from its issues: unreadable when any is an error (its datasets' checks are
 * unknown), degraded when it was read with warnings, ok otherwise.
 */
export function sourceState(issues: readonly SourceIssue[]): SourceState {
  if (issues.some((issue) => issue.severity === 'error')) return 'unreadable';
  return issues.length > 0 ? 'degraded' : 'ok';
}
