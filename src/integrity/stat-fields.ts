// What the walk and the hash keep of a stat: five numbers and the mode, not a Stats object with its Dates.

/** What the walk and the hash need of a stat; a Stats object has the same fields. */
export interface StatFields {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  /** For the checksum cache: a write that set the mtime back still moved the ctime. */
  ctimeMs: number;
  mode: number;
}

/** True when two stats of one entry agree to the bit on what the walk and the hash use. */
export function sameStat(a: StatFields, b: StatFields): boolean {
  return (
    a.dev === b.dev &&
    a.ino === b.ino &&
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.ctimeMs === b.ctimeMs &&
    a.mode === b.mode
  );
}
