// lstat and fstat without Node's Stats object: for the disk walk's reading threads, the walk's own
// thread and the hash threads.

/*
 * Why: on Node 20 every fs.lstatSync() or fs.fstatSync() builds a Stats object with four Dates, about
 * 1 KB of garbage and half the user time of the call; the walk and the hash keep five numbers of it.
 * The functions those calls use, `lstat` and `fstat` of Node's fs binding (`process.binding('fs')`),
 * fill one shared Float64Array instead (Node 22 and later make a Stats' Dates only when read, so the
 * gain is smaller there). Measured here, Node 20, over 200,000 files: user time of the stats 246 →
 * 106 ms, the walk case ≈ 15 % faster, a warm verify ≈ 6 % faster (docs/benchmarks.md).
 *
 * The binding is internal to Node, so it is never taken on trust: each thread compares its answers
 * with lstatSync's (fstatSync's) for the same path (descriptor) until one for a real file agrees to
 * the bit (dev, inode, size, mtime, ctime, mode), and only then uses it alone; three answers that differ
 * (one may be a file changing between the two calls), or a binding that throws where Node's call does
 * not, send that thread back to Node's call for good. It is not used at all under Node's permission
 * model (lstatSync checks permissions in JS, the binding would not) nor with --pending-deprecation
 * (process.binding then warns, DEP0111). Errors always come from Node's own call, so they read as
 * they always did.
 */

/** What the walk and the hash need of a stat; a Stats object has the same fields. */
export interface StatFacts {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  /** For the checksum cache: a write that set the mtime back still moved the ctime. */
  ctimeMs: number;
  mode: number;
}

/** Which call answers now: 'binding' once trusted, 'node' (Node's own), 'unchecked' before the first real answer. */
export type StatVia = 'binding' | 'node' | 'unchecked';

/** Like lstatSync(path, { throwIfNoEntry: false }): undefined for a missing entry, throws for other errors. */
export type Lstat = ((path: string) => StatFacts | undefined) & { readonly via: StatVia };

/** Like fstatSync(fd): throws for a bad descriptor. */
export type Fstat = ((fd: number) => StatFacts) & { readonly via: StatVia };

/** The parts of Node's fs binding used here (either may be absent or answer otherwise on another Node). */
export interface StatBinding {
  lstat?(path: string, bigint: false, request: undefined, throwIfNoEntry: false): Float64Array | undefined;
  fstat?(fd: number, bigint: false, request: undefined, shouldNotThrow: false): Float64Array | undefined;
}

const LSTAT_NO_THROW = { throwIfNoEntry: false } as const;

/** What the checked stats use of node:fs (tests hand in their own). */
export interface StatFs {
  lstatSync(path: string, options: { throwIfNoEntry: false }): StatFacts | undefined;
  fstatSync(fd: number): StatFacts;
}

/** Node's fs binding, where this process may use it (see above); undefined otherwise. */
export function statBinding(process: NodeJS.Process): StatBinding | undefined {
  if (process.permission !== undefined) return undefined;
  const env = process.env;
  const pending = /--pending[-_]deprecation/;
  if (
    process.execArgv.some((flag) => pending.test(flag)) ||
    env.NODE_PENDING_DEPRECATION === '1' ||
    pending.test(String(env.NODE_OPTIONS ?? ''))
  )
    return undefined;
  // However it was asked for, pending deprecation wraps process.binding in a function named 'deprecated'.
  const binding = (process as { binding?: unknown }).binding;
  if (typeof binding !== 'function' || binding.name === 'deprecated') return undefined;
  try {
    const fs: unknown = binding.call(process, 'fs');
    return fs !== null && typeof fs === 'object' ? (fs as StatBinding) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Disagreements tolerated before the binding is given up: a file written or rotated between the two
 * calls of a check disagrees once, a binding that reads another layout every time.
 */
const STAT_CHECKS = 3;

/**
 * Node's layout of the binding's answer: dev, mode, nlink, uid, gid, rdev, blksize, ino, size,
 * blocks, then seconds and nanoseconds of atime, mtime, ctime, birthtime (lib/internal/fs/utils.js).
 */
function statFacts(values: Float64Array): StatFacts {
  return {
    dev: values[0] as number,
    ino: values[7] as number,
    size: values[8] as number,
    mtimeMs: (values[12] as number) * 1000 + (values[13] as number) / 1000000,
    ctimeMs: (values[14] as number) * 1000 + (values[15] as number) / 1000000,
    mode: values[1] as number,
  };
}

/** True when two stats of one entry agree to the bit on what the walk and the hash use. */
export function sameStat(a: StatFacts, b: StatFacts): boolean {
  return (
    a.dev === b.dev &&
    a.ino === b.ino &&
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.ctimeMs === b.ctimeMs &&
    a.mode === b.mode
  );
}

/**
 * viaNode(x): Node's own call (a Stats, undefined for "missing", or a throw); viaBinding(x): the
 * binding's shared array for the same x, or undefined when there is no binding call to try.
 */
function checkedStat<T, R extends StatFacts | undefined>(
  viaNode: (target: T) => R,
  viaBinding: ((target: T) => Float64Array | undefined) | undefined,
): ((target: T) => R) & { readonly via: StatVia } {
  let via: StatVia = viaBinding === undefined ? 'node' : 'unchecked';
  let disagreements = 0;
  const disagree = (): void => {
    if (++disagreements >= STAT_CHECKS) via = 'node';
  };
  const stat = (target: T): R => {
    if (via === 'node' || viaBinding === undefined) return viaNode(target);
    let values: Float64Array | undefined;
    try {
      values = viaBinding(target);
    } catch {
      if (via === 'binding') return viaNode(target);
      // Node's call failing too is an error of the target's own; answering where the binding threw is a binding that does not fit.
      const answer = viaNode(target);
      via = 'node';
      return answer;
    }
    // Read before Node's call runs: it fills the very same shared array.
    const mine = values === undefined ? undefined : statFacts(values);
    if (via === 'binding') return mine as R;
    const answer = viaNode(target);
    if (mine === undefined || answer === undefined) {
      if ((mine === undefined) !== (answer === undefined)) disagree();
      return answer;
    }
    if (sameStat(mine, answer)) via = 'binding';
    else disagree();
    return answer;
  };
  Object.defineProperty(stat, 'via', { get: () => via });
  return stat as ((target: T) => R) & { readonly via: StatVia };
}

export function createLstat(fs: StatFs, binding: StatBinding | undefined): Lstat {
  const lstat = binding?.lstat;
  return checkedStat(
    (path: string) => fs.lstatSync(path, LSTAT_NO_THROW),
    typeof lstat === 'function' ? (path: string) => lstat.call(binding, path, false, undefined, false) : undefined,
  );
}

export function createFstat(fs: StatFs, binding: StatBinding | undefined): Fstat {
  const fstat = binding?.fstat;
  return checkedStat(
    (fd: number) => fs.fstatSync(fd),
    typeof fstat === 'function' ? (fd: number) => fstat.call(binding, fd, false, undefined, false) : undefined,
  );
}
