// lstat and fstat without Node's Stats object, as plain-JS source text: the disk walk's reading threads
// and the hash threads run it, and the walk's own thread compiles the same text (see
// src/sources/disk/walk-worker-source.ts for why text).

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

export const STAT_SOURCE = `
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
    return binding !== null && typeof binding === 'object' ? binding : undefined;
  } catch {
    return undefined;
  }
}
// Disagreements tolerated before the binding is given up: a file written or rotated between the two
// calls of a check disagrees once, a binding that reads another layout every time.
const STAT_CHECKS = 3;
// Node's layout of the binding's answer: dev, mode, nlink, uid, gid, rdev, blksize, ino, size,
// blocks, then seconds and nanoseconds of atime, mtime, ctime, birthtime (lib/internal/fs/utils.js).
function statFacts(values) {
  return { dev: values[0], ino: values[7], size: values[8], mtimeMs: values[12] * 1000 + values[13] / 1000000,
    ctimeMs: values[14] * 1000 + values[15] / 1000000, mode: values[1] };
}
function sameStat(a, b) {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs &&
    a.ctimeMs === b.ctimeMs && a.mode === b.mode;
}
// viaNode(x): Node's own call (a Stats, undefined for "missing", or a throw); viaBinding(x): the binding's
// shared array for the same x, or undefined when there is no binding call to try.
function checkedStat(viaNode, viaBinding) {
  let via = viaBinding === undefined ? 'node' : 'unchecked';
  let disagreements = 0;
  const disagree = () => {
    if (++disagreements >= STAT_CHECKS) via = 'node';
  };
  const stat = (target) => {
    if (via === 'node') return viaNode(target);
    let values;
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
    if (via === 'binding') return mine;
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
  return stat;
}
function createLstat(fs, binding) {
  return checkedStat((path) => fs.lstatSync(path, LSTAT_NO_THROW),
    binding !== undefined && typeof binding.lstat === 'function'
      ? (path) => binding.lstat(path, false, undefined, false) : undefined);
}
function createFstat(fs, binding) {
  return checkedStat((fd) => fs.fstatSync(fd),
    binding !== undefined && typeof binding.fstat === 'function'
      ? (fd) => binding.fstat(fd, false, undefined, false) : undefined);
}
`;

/** The same `createLstat`, `createFstat` and `statBinding` text, compiled on the calling thread. */
export function compileStat(): {
  createLstat: (fs: unknown, binding: StatBinding | undefined) => Lstat;
  createFstat: (fs: unknown, binding: StatBinding | undefined) => Fstat;
  statBinding: (process: NodeJS.Process) => StatBinding | undefined;
} {
  return new Function(`${STAT_SOURCE}\nreturn { createLstat, createFstat, statBinding };`)();
}
