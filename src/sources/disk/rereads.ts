// verify --deep --budget at a disk location: the files and directories whose hashes the quick listing
// took from the checksum cache, and their reading again through the hash pool once the run chooses them.
import { availableParallelism } from 'node:os';
import type { AnswerWatch } from '../../integrity/worker-pool.js';
import type { Copy, SourceIssue } from '../../model.js';
import type { Rereadable, Rereads } from '../rereads.js';
import type { SourceContext } from '../source.js';
import { type DirectoryHash, startDirectoryHash } from './directory-hash.js';
import { createHashQueue, QUEUED_JOBS_HIGH_WATER } from './hash-queue.js';
import type { FileStat, TreeFile, TreeSummary } from './walk-types.js';

export interface DiskRereads {
  /** A file copy whose checksum came from the cache (one hashed by this run is not read again). */
  file(file: FileStat & { path: string }, copy: Copy): void;
  /** A directory copy; offered only when every one of its files' checksums came from the cache. */
  directory(copy: Copy, tree: TreeSummary, hash: DirectoryHash): void;
  /** What the location offers, once its inventory (and every hash of it) is done. */
  offer(): Rereads;
}

/**
 * A file (its identity as listed, what the hash pool reads it by) or a directory (its files, and its
 * hash as the listing made it). One object per file: a location may offer millions.
 */
interface DiskItem extends Rereadable, Partial<FileStat> {
  tree?: TreeFile[];
  hash?: DirectoryHash;
}

/** The fields a read gives a copy: cleared before it is read again, so only what this read found shows. */
const READ_FIELDS = ['sha256', 'hashedAt', 'contentChanged', 'hashError'] as const;

function forgetRead(copy: Copy): void {
  for (const field of READ_FIELDS) delete copy[field];
}

/** The other copies of one file or directory get what the read gave the first. */
function shareRead(from: Copy, to: Copy): void {
  for (const field of READ_FIELDS) {
    if (from[field] === undefined) delete to[field];
    else Object.assign(to, { [field]: from[field] });
  }
}

/** `answer`: the location's limit on one read, for the hash threads (a hung mount). */
export function createDiskRereads(
  location: string,
  ctx: SourceContext,
  issues: SourceIssue[],
  answer?: AnswerWatch,
): DiskRereads {
  // By path: two datasets whose patterns match one file have two copies of it, read once.
  const items = new Map<string, DiskItem>();
  /** False when the path is offered already (by another dataset's copy): the copy joins its item. */
  const isNew = (path: string, copy: Copy): boolean => {
    const known = items.get(path);
    known?.copies.push(copy);
    return !known;
  };

  const reread = async (chosen: Rereadable[]): Promise<Rereadable[]> => {
    let total = 0;
    const hashing = createHashQueue({
      checksums: ctx.checksums,
      deep: true,
      concurrency: Math.max(256, 64 * availableParallelism()),
      now: ctx.now,
      issues,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(answer ? { answer } : {}),
      onDone: (done) => ctx.progress?.({ location, phase: 'scrub', done, total }),
    });
    for (const { path } of chosen) {
      const item = items.get(path);
      const first = item?.copies[0];
      if (!item || !first) continue;
      // As bounded as the walk's queue: the jobs wait here, not all in memory at once.
      await hashing.untilQueuedAtMost(QUEUED_JOBS_HIGH_WATER);
      for (const copy of item.copies) forgetRead(copy);
      if (item.tree) {
        total += item.tree.length;
        // The listing was whole (a directory whose listing was not is never offered).
        const directory = startDirectoryHash(first, item.tree.length, false, ctx.now);
        for (const file of item.tree) hashing.push({ ...file, copy: first, directory });
      } else {
        total += 1;
        const { dev = 0, ino = 0, mtimeMs = 0, ctimeMs = 0 } = item;
        hashing.push({ path, dev, ino, size: item.bytes, mtimeMs, ctimeMs, copy: first });
      }
    }
    await hashing.finish();
    const read: Rereadable[] = [];
    for (const item of chosen) {
      const [first, ...others] = item.copies;
      if (!first) continue;
      for (const copy of others) shareRead(first, copy);
      if (first.sha256) read.push(item);
    }
    return read;
  };

  return {
    file(file, copy) {
      if (!isNew(file.path, copy)) return;
      const { path, size, dev, ino, mtimeMs, ctimeMs } = file;
      items.set(path, { location, path, bytes: size, readAtMs: undefined, copies: [copy], dev, ino, mtimeMs, ctimeMs });
    },
    directory(copy, tree, hash) {
      if (!isNew(copy.path, copy)) return;
      const item = { location, path: copy.path, bytes: tree.bytes, readAtMs: undefined, copies: [copy] };
      items.set(copy.path, { ...item, tree: tree.files, hash });
    },
    offer() {
      const offered: Rereadable[] = [];
      for (const item of items.values()) {
        // A directory one of whose files this run hashed was read now; one not hashed whole has nothing to renew.
        if (item.hash && (item.hash.readNow || !item.copies[0]?.sha256)) continue;
        offered.push(item);
      }
      return { location, items: offered, reread };
    },
  };
}
