// One dataset's copies at a disk location: each of its patterns walked from its base, each match made
// a copy once (overlapping patterns meet a file twice), with its checksum found or its hash queued.
import { hasParentSegment } from '../../config/pattern-escape.js';
import type { DatasetPatterns } from '../../config/types.js';
import { sourceIssue } from '../../issues.js';
import type { Copy, SourceIssue } from '../../model.js';
import type { CopyMaker } from './copies.js';
import type { CopyChecksums } from './copy-checksums.js';
import type { Elsewhere } from './elsewhere.js';
import { compilePattern } from './patterns.js';
import { walkPattern } from './walk.js';
import type { DirectoryMatch, FileMatch, TreeSummary, WalkContext } from './walk-types.js';

/** What one location's inventory works with, dataset after dataset. */
export interface LocationInventory {
  root: string;
  walk: WalkContext;
  issues: SourceIssue[];
  copies: Copy[];
  makeCopy: CopyMaker;
  checksums: CopyChecksums;
  /** Copies on another filesystem than the location's (a symlink out of it, a mount inside it), by st_dev. */
  elsewhere: Elsewhere;
}

/** Files an earlier pattern of the dataset matched, by directory: what the walk's directory jobs ask. */
type MatchedByDirectory = Map<string, string[]>;

export async function findDatasetCopies(inventory: LocationInventory, dataset: DatasetPatterns): Promise<void> {
  const { walk } = inventory;
  walk.dataset = dataset.dataset;
  walk.reported = new Set();
  // Overlapping patterns of one dataset must not count a file twice; one pattern cannot repeat.
  const seen = dataset.patterns.length > 1 ? new Set<string>() : undefined;
  // --deep: nor hash it twice (the reading threads hash what they list, before `seen` is asked).
  const matchedByDirectory: MatchedByDirectory | undefined = seen && walk.hashWhileListing ? new Map() : undefined;
  walk.matchedBefore = matchedByDirectory ? (directory) => matchedByDirectory.get(directory) : undefined;
  for (const pattern of dataset.patterns) {
    await findPatternCopies(inventory, dataset, pattern, seen, matchedByDirectory);
  }
}

async function findPatternCopies(
  inventory: LocationInventory,
  dataset: DatasetPatterns,
  pattern: string,
  seen: Set<string> | undefined,
  matchedByDirectory: MatchedByDirectory | undefined,
): Promise<void> {
  const { root, walk, issues, copies, makeCopy, checksums, elsewhere } = inventory;
  // The config check refuses these; a config built otherwise must not read outside the location either.
  if (hasParentSegment(pattern)) {
    const place = { severity: 'error', dataset: dataset.dataset, path: root } as const;
    issues.push(sourceIssue('B321_BAD_PATTERN', { pattern, root }, place));
    return;
  }
  const directories: DirectoryMatch[] = [];
  const issuesBefore = issues.length;
  const refusedBefore = walk.refused ?? 0;
  let matched = 0;
  await walkPattern(walk, compilePattern(pattern), (match) => {
    matched += 1;
    if (seen?.has(match.path)) return;
    seen?.add(match.path);
    if (match.kind === 'directory') {
      directories.push(match);
      return;
    }
    if (matchedByDirectory) rememberMatch(matchedByDirectory, match);
    // Made right here, so the walk keeps nothing per file but the copy and its hash job.
    const copy = makeCopy.fromFile(dataset, match);
    copies.push(copy);
    if (match.dev !== elsewhere.dev) elsewhere.add(match.dev, match.path, copy);
    checksums.ofFile(match, copy);
  });
  await makeCopy.settleRecorded();
  // "Matches nothing" would mislead when the walk could not look (that is already an error), or
  // matched only what is no copy (a FIFO, a link not followed: that has its own warning).
  const couldNotLook = issues.slice(issuesBefore).some((found) => found.severity === 'error');
  if (matched === 0 && !couldNotLook && walk.refused === refusedBefore) {
    const params = { pattern, where: 'where.directory', root } as const;
    issues.push(sourceIssue('B321_NO_MATCH', params, { severity: 'warning', dataset: dataset.dataset, path: root }));
  }
  for (const match of directories) {
    const copy = makeCopy.fromDirectory(dataset, match);
    if (match.dev !== elsewhere.dev) elsewhere.add(match.dev, match.path, copy);
    const tree = await readTree(walk, match);
    makeCopy.fromTree(copy, tree);
    checksums.ofDirectory(copy, tree);
    copies.push(copy);
  }
}

/**
 * A directory copy's tree, read in one go on a walk thread; its issues are the walk's, and a warning
 * about an entry as it is (a link, a FIFO) is still given once per dataset.
 */
async function readTree(walk: WalkContext, match: DirectoryMatch): Promise<TreeSummary> {
  const { followSymlinks, confinedTo, dataset } = walk;
  const job = { probe: 'tree', directory: match, followSymlinks, confinedTo, dataset } as const;
  const answer = await walk.walkers.probe(job, walk.reader);
  for (let i = 0; i < answer.listed; i++) walk.listed(match.path);
  walk.reported ??= new Set();
  for (const found of answer.issues) {
    const key = `${found.code} ${found.path}`;
    if (ONCE_PER_DATASET.has(found.code)) {
      if (walk.reported.has(key)) continue;
      walk.reported.add(key);
    }
    walk.issues.push(found);
  }
  return answer.summary;
}

const ONCE_PER_DATASET = new Set([
  'B321_DANGLING_SYMLINK',
  'B321_SYMLINK_LOOP',
  'B321_SYMLINK_NOT_FOLLOWED',
  'B321_SYMLINK_OUTSIDE_LOCATION',
  'B321_SPECIAL_FILE',
]);

/** Keyed as the walk's directory jobs ask (WalkContext.matchedBefore): the path before the file's name. */
function rememberMatch(byDirectory: MatchedByDirectory, match: FileMatch): void {
  const directory = match.path.slice(0, match.path.length - match.name.length - 1) || '/';
  const names = byDirectory.get(directory);
  if (names) names.push(match.name);
  else byDirectory.set(directory, [match.name]);
}
