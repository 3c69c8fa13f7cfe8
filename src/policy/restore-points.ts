// Restore points: copies with the same name and size should hold the same bytes; a copy that disagrees is corrupt.
import type { Copy } from '../model.js';
import { contentSha256 } from './copy-times.js';

export type ContentVerdict =
  | 'verified'
  | 'content-changed'
  | 'unverified'
  | 'unreadable'
  | 'vanished'
  | 'corrupt'
  | 'outvoted'
  | 'conflict';

/**
 * The restore-point key. The name alone would make yesterday's `db.dump` in a dated folder, or a
 * rolling `latest.dump` refreshed in one place before the others, look like a corrupt sibling; a
 * different size says "another backup". Corruption that keeps the size (bit rot, zeroed sectors) is
 * what sibling comparison is for; a truncated replica is caught by its own recorded checksum.
 */
export function restorePointKey(copy: Copy): string {
  return `${copy.name}\u0000${copy.bytes}`;
}

/** What a copy's own evidence says of its content, before it is compared with its siblings. */
function ownVerdict(copy: Copy): ContentVerdict {
  // A copy we tried and failed to read is no verified copy, whatever its sidecar says.
  if (copy.hashError === 'unreadable') return 'unreadable';
  // Bytes that moved under the read: what they are now is unknown, whatever was recorded for them.
  if (copy.hashError === 'changed-while-hashing') return 'unverified';
  // Established by comparison (an ETag MD5 against a local copy's MD5): not the bytes it should be.
  if (copy.hashError === 'content-mismatch') return 'corrupt';
  // Deleted between listing and reading (rotated away by the backup job): no copy any more.
  if (copy.hashError === 'vanished') return 'vanished';
  // Bytes that changed while size, mtime and ctime did not: bit rot or tampering, whatever they hash to now.
  if (copy.contentChanged) return 'content-changed';
  const recorded = copy.recorded && copy.recorded.source !== 'etag-md5' ? copy.recorded.value : undefined;
  if (copy.sha256 && recorded && copy.sha256 !== recorded) return 'corrupt';
  return (copy.sha256 ?? recorded) ? 'verified' : 'unverified';
}

/** The sha256 a verified copy is taken to hold: its own hash, else the recorded one. */
function contentOf(copy: Copy): string {
  return contentSha256(copy) ?? '';
}

/**
 * Judges every copy's content (the verdicts are in the copies' order): against its own recorded
 * checksum first, then against the copies of the same restore point. The majority checksum wins and
 * a copy outvoted is corrupt; a tie leaves every side in conflict, because nothing says which one is right.
 */
export function assessContent(copies: Copy[]): ContentVerdict[] {
  const verdicts = new Array<ContentVerdict>(copies.length);
  const repeated = judgeEach(copies, verdicts);
  if (repeated.length > 0) voteRepeated(copies, repeated, verdicts);
  return verdicts;
}

/** Slots a name is looked for past its home slot before it goes to the overflow map. */
const MAX_PROBES = 32;

/** FNV-1a over the name's UTF-16 code units: the home slot of a name in judgeEach's table. */
function nameHash(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return hash;
}

/**
 * Each copy's own verdict, and the verified copies' names seen more than once (as lists of indices).
 * A function of its own, so that its loop is compiled apart from the caller's code (docs/benchmarks-history.md).
 */
function judgeEach(copies: Copy[], verdicts: ContentVerdict[]): number[][] {
  // Verified copies by name, in an open-addressing table of copy indices (at most half full), not a
  // Map: nearly every dated backup name is new, and a Map's insert per name cost more than the table.
  // By name only; sizes are told apart in voteRepeated.
  let bits = 4;
  while (bits < 30 && 1 << bits < copies.length * 2) bits++;
  const mask = (1 << bits) - 1;
  const firstOf = new Int32Array(mask + 1).fill(-1);
  // A name's group, keyed by its first copy's index, once a second copy of it turns up.
  const groups = new Map<number, number[]>();
  const overflow = new Map<string, number>();
  // The names seen more than once, so only those are gone through again (a copy alone has nobody to
  // disagree with).
  const repeated: number[][] = [];
  for (let i = 0; i < copies.length; i++) {
    const copy = copies[i] as Copy;
    const verdict = ownVerdict(copy);
    verdicts[i] = verdict;
    if (verdict !== 'verified') continue;
    const name = copy.name;
    let first = -1;
    for (let slot = nameHash(name) & mask, probes = 0; ; slot = (slot + 1) & mask, probes++) {
      // Past MAX_PROBES full slots a name goes to the overflow map: names made to collide (file names
      // are not ours to choose) cost a Map's time, never a scan of the table. Slots only ever fill, so
      // a later copy of a name finds it where the first one went.
      if (probes === MAX_PROBES) {
        first = overflow.get(name) ?? -1;
        if (first === -1) overflow.set(name, i);
        break;
      }
      const held = firstOf[slot] as number;
      if (held === -1) {
        firstOf[slot] = i;
        break;
      }
      if ((copies[held] as Copy).name === name) {
        first = held;
        break;
      }
    }
    if (first === -1) continue;
    const group = groups.get(first);
    if (group) group.push(i);
    else {
      const sameName = [first, i];
      groups.set(first, sameName);
      repeated.push(sameName);
    }
  }
  return repeated;
}

/**
 * Copies sharing a name, grouped by size, vote. A function of its own, compiled apart from judgeEach's loop.
 */
function voteRepeated(copies: Copy[], repeated: number[][], verdicts: ContentVerdict[]): void {
  for (const sameName of repeated) {
    const bySize = new Map<number, number[]>();
    for (const i of sameName) {
      const bytes = (copies[i] as Copy).bytes;
      const group = bySize.get(bytes);
      if (group) group.push(i);
      else bySize.set(bytes, [i]);
    }
    for (const group of bySize.values()) if (group.length > 1) vote(copies, group, verdicts);
  }
}

/** Copies of one restore point (indices into `copies`) disagreeing on their sha256: the majority wins. */
function vote(copies: Copy[], group: number[], verdicts: ContentVerdict[]): void {
  const votes = new Map<string, number>();
  for (const i of group) {
    const sha = contentOf(copies[i] as Copy);
    votes.set(sha, (votes.get(sha) ?? 0) + 1);
  }
  if (votes.size < 2) return;
  const top = Math.max(...votes.values());
  const winners = [...votes.entries()].filter(([, count]) => count === top).map(([sha]) => sha);
  for (const i of group) {
    if (winners.length > 1) verdicts[i] = 'conflict';
    else if (contentOf(copies[i] as Copy) !== winners[0]) verdicts[i] = 'outvoted';
  }
}
