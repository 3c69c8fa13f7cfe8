// verify --deep --budget at a disk location: the files and directories whose hashes the quick listing
// took from the checksum cache, and their reading again through the hash pool once the run chooses them.
import { availableParallelism } from 'node:os';
import type { Copy, SourceIssue } from '../../model.js';
import type { Rereadable, Rereads } from '../rereads.js';
import type { SourceContext } from '../source.js';
import { type DirectoryHash, startDirectoryHash } from './directory-hash.js';
import { createHashQueue } from './hash-queue.js';
import type { TreeFile, TreeSummary } from './tree.js';
import type { FileStat } from './walk-types.js';

export interface DiskRereads {
  /** A file copy whose checksum came from the cache (one hashed by this run is not read again). */
  file(file: FileStat & { path: string }, copy: Copy): void;
  /** A directory copy; offered only when every one of its files' checksums came from the cache. */
  directory(copy: Copy, tree: TreeSummary, hash: DirectoryHash): void;
  /** What the location offers, once its inventory (and every hash of it) is done. */
  offer(): Rereads;
}

interface Entry {
  item: Rereadable;
  file?: FileStat & { path: string };
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

export function createDiskRereads(location: string, ctx: SourceContext, issues: SourceIssue[]): DiskRereads {
  // By path: two datasets whose patterns match one file have two copies of it, read once.
  const entries = new Map<string, Entry>();
  const entryFor = (path: string, bytes: number, copy: Copy): Entry | undefined => {
    const known = entries.get(path);
    if (known) {
      known.item.copies.push(copy);
      return undefined;
    }
    const entry: Entry = { item: { location, path, bytes, copies: [copy] } };
    entries.set(path, entry);
    return entry;
  };

  const reread = async (items: Rereadable[]): Promise<Rereadable[]> => {
    let total = 0;
    const hashing = createHashQueue({
      checksums: ctx.checksums,
      deep: true,
      concurrency: Math.max(256, 64 * availableParallelism()),
      now: ctx.now,
      issues,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onDone: (done) => ctx.progress?.({ location, phase: 'scrub', done, total }),
    });
    for (const item of items) {
      const entry = entries.get(item.path);
      const [first] = item.copies;
      if (!entry || !first) continue;
      for (const copy of item.copies) forgetRead(copy);
      if (entry.file) {
        total += 1;
        hashing.push({ ...entry.file, copy: first });
      } else if (entry.tree) {
        total += entry.tree.length;
        // The listing was whole (a directory whose listing was not is never offered).
        const directory = startDirectoryHash(first, entry.tree.length, false, ctx.now);
        for (const file of entry.tree) hashing.push({ ...file, copy: first, directory });
      }
    }
    await hashing.finish();
    const read: Rereadable[] = [];
    for (const item of items) {
      const [first, ...others] = item.copies;
      if (!first) continue;
      for (const copy of others) shareRead(first, copy);
      if (first.sha256) read.push(item);
    }
    return read;
  };

  return {
    file(file, copy) {
      const entry = entryFor(file.path, file.size, copy);
      if (entry) {
        const { path, dev, ino, size, mtimeMs, ctimeMs } = file;
        entry.file = { path, dev, ino, size, mtimeMs, ctimeMs };
      }
    },
    directory(copy, tree, hash) {
      const entry = entryFor(copy.path, tree.bytes, copy);
      if (entry) {
        entry.tree = tree.files;
        entry.hash = hash;
      }
    },
    offer() {
      const items: Rereadable[] = [];
      for (const entry of entries.values()) {
        const { item, hash } = entry;
        // A directory one of whose files this run hashed was read now; one not hashed whole has nothing to renew.
        if (hash && (hash.readNow || !item.copies[0]?.sha256)) continue;
        items.push(item);
      }
      return { location, items, reread };
    },
  };
}
