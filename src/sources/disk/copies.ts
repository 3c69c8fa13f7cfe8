// The copies a disk location holds, made from what the walk matched: a file with what its checksum
// files record of it, a directory with its size and newest mtime.
import type { DatasetPatterns, DiskLocationConfig } from '../../config/types.js';
import { createIsoTime } from '../../integrity/iso-time.js';
import type { Copy, SourceIssue } from '../../model.js';
import { restorePathOf } from './location.js';
import { createRecordedLookup } from './recorded.js';
import type { TreeSummary } from './walk-types.js';
import type { DirectoryMatch, FileMatch } from './walk-types.js';

export interface CopyMaker {
  /** A file copy, with what a sidecar or manifest beside it records. */
  fromFile(dataset: DatasetPatterns, match: FileMatch): Copy;
  /** A directory copy, before its tree is read (its size and mtime come with fromTree). */
  fromDirectory(dataset: DatasetPatterns, match: DirectoryMatch): Copy;
  /** A directory copy's size and newest mtime, once its tree is read. */
  fromTree(copy: Copy, tree: TreeSummary): void;
  /** Gives the file copies made so far what their checksum files record (read on the walk's threads). */
  settleRecorded(): Promise<void>;
}

/** `issues` gets the warnings about checksum files that cannot be read or parsed; `readText` reads one. */
export function createCopyMaker(
  location: DiskLocationConfig,
  issues: SourceIssue[],
  readText: Parameters<typeof createRecordedLookup>[1],
): CopyMaker {
  // Placeholders until the host has answered (giveHostAnswer); config values stand as they are.
  const medium = location.medium ?? 'disk';
  const device = location.device ?? '';
  // One object for every copy of the location: a million copies share it.
  const restore = restorePathOf(location);
  // Shared by every id of the location: one concatenation per copy, not two.
  const idPrefix = `${location.id}:`;
  const recorded = createRecordedLookup(issues, readText);
  // Files written by one job share their mtime's millisecond more often than not: share the text too.
  const isoTime = createIsoTime();
  const newCopy = (dataset: DatasetPatterns, path: string, name: string, kind: Copy['kind']): Copy => ({
    id: idPrefix + path,
    dataset: dataset.dataset,
    location: location.id,
    locationType: 'disk',
    path,
    name,
    kind,
    role: dataset.role,
    bytes: 0,
    modifiedAt: '',
    medium,
    device,
    offline: false,
    restore,
  });
  return {
    fromFile(dataset, match) {
      const copy = newCopy(dataset, match.path, match.name, 'file');
      copy.bytes = match.size;
      copy.modifiedAt = isoTime(match.mtimeMs);
      if (match.sidecars.length + match.manifests.length > 0) recorded.add(match, dataset.dataset, copy);
      return copy;
    },
    fromDirectory: (dataset, match) => newCopy(dataset, match.path, match.name, 'directory'),
    fromTree(copy, tree) {
      copy.bytes = tree.bytes;
      copy.modifiedAt = new Date(tree.newestMtimeMs).toISOString();
    },
    settleRecorded: () => recorded.settle(),
  };
}
