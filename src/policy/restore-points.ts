// Restore points: copies with the same name should hold the same bytes; a copy that disagrees is corrupt.
import type { Copy } from '../model.js';

export type ContentVerdict = 'verified' | 'unverified' | 'corrupt' | 'conflict';

export interface ContentAssessment {
  verdict: ContentVerdict;
  /** The sha256 this copy is taken to hold (its own hash, else the recorded one). */
  sha256?: string;
  detail?: string;
}

/** A recorded checksum comparable with a sha256 (an ETag MD5 is not). */
function recordedSha256(copy: Copy): string | undefined {
  return copy.recorded && copy.recorded.source !== 'etag-md5' ? copy.recorded.value : undefined;
}

function ownContent(copy: Copy): ContentAssessment {
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
 * the same restore point (same name). The majority checksum wins; a tie leaves every side in conflict,
 * because nothing says which one is right.
 */
export function assessContent(copies: Copy[]): Map<string, ContentAssessment> {
  const result = new Map<string, ContentAssessment>();
  const groups = new Map<string, Copy[]>();
  for (const copy of copies) {
    const own = ownContent(copy);
    result.set(copy.id, own);
    if (own.verdict !== 'verified') continue;
    const group = groups.get(copy.name) ?? [];
    group.push(copy);
    groups.set(copy.name, group);
  }
  for (const group of groups.values()) {
    const votes = new Map<string, number>();
    for (const copy of group) {
      const sha = result.get(copy.id)?.sha256 ?? '';
      votes.set(sha, (votes.get(sha) ?? 0) + 1);
    }
    if (votes.size < 2) continue;
    const top = Math.max(...votes.values());
    const winners = [...votes.entries()].filter(([, count]) => count === top).map(([sha]) => sha);
    for (const copy of group) {
      const own = result.get(copy.id);
      if (!own?.sha256) continue;
      if (winners.length > 1) {
        result.set(copy.id, {
          verdict: 'conflict',
          sha256: own.sha256,
          detail: `${votes.size} different checksums, none in the majority`,
        });
      } else if (own.sha256 !== winners[0]) {
        result.set(copy.id, {
          verdict: 'corrupt',
          sha256: own.sha256,
          detail: `differs from ${top} other cop${top === 1 ? 'y' : 'ies'} of ${copy.name}`,
        });
      }
    }
  }
  return result;
}
