// lstat for the disk walk without Node's Stats object, as plain-JS source text: the reading threads
// run it, and the walk's own thread compiles the same text (see walk-worker-source.ts).

/*
 * Why: on Node 20 every fs.lstatSync() builds a Stats object with four Dates, about 1 KB of garbage
 * and half the user time of the call; the walk keeps five numbers of it. The function lstatSync
 * itself calls, `lstat` of Node's fs binding (`process.binding('fs')`), fills one shared
 * Float64Array instead (Node 22 and later make a Stats' Dates only when read, so the gain is smaller
 * there). Measured here, Node 20, over 200,000 files: user time of the stats 246 → 106 ms, the
 * walk case ≈ 15 % faster, a warm verify ≈ 6 % faster (docs/benchmarks.md).
 *
 * The binding is internal to Node, so it is never taken on trust: each thread compares its answers
 * with lstatSync's for the same path until one for a real file agrees to the bit (dev, inode, size,
 * mtime, mode), and only then uses it alone; three answers that differ (one may be a file changing
 * between the two calls), or a binding that throws where lstatSync does not, send that thread back to
 * lstatSync for good. It is not used at all under
 * Node's permission model (lstatSync checks permissions in JS, the binding would not) nor with
 * --pending-deprecation (process.binding then warns, DEP0111). Errors always come from lstatSync, so
 * they read as they always did.
 */

/** What the walk needs of a stat; a Stats object has the same fields. */
export interface StatFacts {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  mode: number;
}

/** Like lstatSync(path, { throwIfNoEntry: false }): undefined for a missing entry, throws for other errors. */
export type Lstat = ((path: string) => StatFacts | undefined) & {
  /** Which call answers now: 'binding' once trusted, 'node' (lstatSync), 'unchecked' before the first real answer. */
  readonly via: 'binding' | 'node' | 'unchecked';
};

/** The part of Node's fs binding used here (it may be absent or answer otherwise on another Node). */
export interface StatBinding {
  lstat(path: string, bigint: false, request: undefined, throwIfNoEntry: false): Float64Array | undefined;
}

export const LSTAT_SOURCE = `
const LSTAT_NO_THROW = { throwIfNoEntry: false };
function statBinding(process) {
  if (process.permission !== undefined) return undefined;
  const env = process.env;
  const pending = /--pending[-_]deprecation/;
  if (process.execArgv.some((flag) => pending.test(flag)) || env.NODE_PENDING_DEPRECATION === '1' ||
      pending.test(String(env.NODE_OPTIONS ?? ''))) return undefined;
  // However it was asked for, pending deprecation wraps process.binding in a function named 'deprecated'.
  if (typeof process.binding !== 'function' || process.binding.name === 'deprecated') return undefined;
  try {
    const binding = process.binding('fs');
    return binding !== undefined && typeof binding.lstat === 'function' ? binding : undefined;
  } catch {
    return undefined;
  }
}
// Disagreements tolerated before the binding is given up: a file written or rotated between the two
// calls of a check disagrees once, a binding that reads another layout every time.
const LSTAT_CHECKS = 3;
function createLstat(fs, binding) {
  let via = binding === undefined ? 'node' : 'unchecked';
  let disagreements = 0;
  const disagree = () => {
    if (++disagreements >= LSTAT_CHECKS) via = 'node';
  };
  const viaNode = (path) => fs.lstatSync(path, LSTAT_NO_THROW);
  // Node's layout of the binding's answer: dev, mode, nlink, uid, gid, rdev, blksize, ino, size,
  // blocks, then seconds and nanoseconds of atime, mtime, ctime, birthtime (lib/internal/fs/utils.js).
  const facts = (values) => ({ dev: values[0], ino: values[7], size: values[8],
    mtimeMs: values[12] * 1000 + values[13] / 1000000, mode: values[1] });
  const same = (a, b) => a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs &&
    a.mode === b.mode;
  const lstat = (path) => {
    if (via === 'node') return viaNode(path);
    let values;
    try {
      values = binding.lstat(path, false, undefined, false);
    } catch {
      if (via === 'binding') return viaNode(path);
      // lstatSync failing too is an error of the path's own; answering where the binding threw is a binding that does not fit.
      const answer = viaNode(path);
      via = 'node';
      return answer;
    }
    // Read before lstatSync runs: it fills the very same shared array.
    const mine = values === undefined ? undefined : facts(values);
    if (via === 'binding') return mine;
    const answer = viaNode(path);
    if (mine === undefined || answer === undefined) {
      if ((mine === undefined) !== (answer === undefined)) disagree();
      return answer;
    }
    if (same(mine, answer)) via = 'binding';
    else disagree();
    return answer;
  };
  Object.defineProperty(lstat, 'via', { get: () => via });
  return lstat;
}
`;

/** The same `createLstat` and `statBinding` text, compiled on the calling thread. */
export function compileLstat(): {
  createLstat: (fs: unknown, binding: StatBinding | undefined) => Lstat;
  statBinding: (process: NodeJS.Process) => StatBinding | undefined;
} {
  return new Function(`${LSTAT_SOURCE}\nreturn { createLstat, statBinding };`)();
}
