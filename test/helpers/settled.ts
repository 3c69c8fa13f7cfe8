// Fixtures written long before the run: a file hashed within 2 s of its mtime is re-read by the next
// run (the checksum cache's racily-clean rule), as a fixture written a moment ago would be.
import { readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

export const SETTLED_AT = new Date('2026-01-01T00:00:00Z');

/** Sets the mtime (and atime) of every file under `root` to SETTLED_AT; returns `root`. */
export function settleTree(root: string, when = SETTLED_AT): string {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) settleTree(path, when);
    else if (entry.isFile()) utimesSync(path, when, when);
  }
  return root;
}
