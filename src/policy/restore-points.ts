// Restore points: copies with the same name and size should hold the same bytes; a copy that disagrees is corrupt.
import type { Copy } from '../model.js';

export type ContentVerdict =
  | 'verified'
  | 'unverified'
  | 'unreadable'
  | 'vanished'
  | 'corrupt'
  | 'outvoted'
  | 'conflict';

export interface ContentAssessment {
  verdict: ContentVerdict;
  /** The sha256 this copy is taken to hold (its own hash, else the recorded one). */
  sha256?: string;
  detail?: string;
}

/**
 * The restore-point key. The name alone would make yesterday's `db.dump` in a dated folder, or a
 * rolling `latest.dump` refreshed in one place before the others, look like a corrupt sibling; a
 * different size says "another backup". Corruption that keeps the size (bit rot, zeroed sectors) is
 * what sibling comparison is for; a truncated replica is caught by its own recorded checksum.
 */
export function restorePointKey(copy: Copy): string {
  return `${copy.name}\u0000${copy.bytes}`;
}

/** A recorded checksum comparable with a sha256 (an ETag MD5 is not). */
function recordedSha256(copy: Copy): string | undefined {
  return copy.recorded && copy.recorded.source !== 'etag-md5' ? copy.recorded.value : undefined;
}

function ownContent(copy: Copy): ContentAssessment {
  // A copy we tried and failed to read is no verified copy, whatever its sidecar says.
  if (copy.hashError === 'unreadable') return { verdict: 'unreadable' };
  // Established by comparison (an ETag MD5 against a local copy's MD5): not the bytes it should be.
  if (copy.hashError === 'content-mismatch') return { verdict: 'corrupt', detail: copy.recorded?.ref ?? '' };
  // Deleted between listing and reading (rotated away by the backup job): no copy any more.
  if (copy.hashError === 'vanished') return { verdict: 'vanished' };
  const recorded = recordedSha256(copy);
  if (copy.sha256 && recorded && copy.sha256 !== recorded) {
    return {
      verdict: 'corrupt',
      sha256: copy.sha256,
      detail: `content ${copy.sha256.slice(0, 12)}… ≠ ${copy.recorded?.source} ${recorded.slice(0, 12)}…`,
    };
  }
  const sha256 = copy.sha256 ?? recorded;
  return sha256 ? { verdict: 'verified', sha256 } : { verdict: 'unverified' };
}

/**
 * Judges every copy's content: against its own recorded checksum first, then against the copies of
 * the same restore point. The majority checksum wins and a copy outvoted is corrupt; a tie leaves
 * every side in conflict, because nothing says which one is right.
 */
export function assessContent(copies: Copy[]): Map<Copy, ContentAssessment> {
  // Keyed by the copy object, not its id: ids are long concatenated strings, and hashing one flattens it
  // into a fresh copy (200k copies: 171 ms self time here before, and as many strings for the GC).
  const result = new Map<Copy, ContentAssessment>();
  // A restore point with one copy (the usual case: dated backup names) is kept as the copy itself, not
  // as an array: a million one-copy arrays were 200 MB of garbage that outlived the run's peak.
  const groups = new Map<string, Copy | Copy[]>();
  for (const copy of copies) {
    const own = ownContent(copy);
    result.set(copy, own);
    if (own.verdict !== 'verified') continue;
    const key = restorePointKey(copy);
    const found = groups.get(key);
    if (found === undefined) groups.set(key, copy);
    else if (Array.isArray(found)) found.push(copy);
    else groups.set(key, [found, copy]);
  }
  for (const group of groups.values()) {
    // One copy has nobody to disagree with.
    if (!Array.isArray(group)) continue;
    const votes = new Map<string, number>();
    for (const copy of group) {
      const sha = result.get(copy)?.sha256 ?? '';
      votes.set(sha, (votes.get(sha) ?? 0) + 1);
    }
    if (votes.size < 2) continue;
    const top = Math.max(...votes.values());
    const winners = [...votes.entries()].filter(([, count]) => count === top).map(([sha]) => sha);
    for (const copy of group) {
      const own = result.get(copy);
      if (!own?.sha256) continue;
      if (winners.length > 1) {
        result.set(copy, {
          verdict: 'conflict',
          sha256: own.sha256,
          detail: `${votes.size} different checksums, none in the majority`,
        });
      } else if (own.sha256 !== winners[0]) {
        result.set(copy, {
          verdict: 'outvoted',
          sha256: own.sha256,
          detail: `differs from ${top} other cop${top === 1 ? 'y' : 'ies'} of ${copy.name}`,
        });
      }
    }
  }
  return result;
}
