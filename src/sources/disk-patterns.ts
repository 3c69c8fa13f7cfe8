// Compiles a dataset's glob patterns into where to start walking, how deep to go and what matches.
import picomatch from 'picomatch';

export interface CompiledPattern {
  pattern: string;
  /** Directory to walk from, relative to the location ("" for the location itself). */
  base: string;
  /** Non-glob pattern: `base` names the one file or directory it means. */
  literal: boolean;
  /** Levels below `base` that can match (Infinity with `**`): the walk never reads deeper. */
  maxDepth: number;
  /** Tests a path relative to the location, "/"-separated. */
  matches: (relativePath: string) => boolean;
}

export function compilePattern(pattern: string): CompiledPattern {
  // "./erp/*.dump" and "/erp/*.dump" mean the same thing inside a location.
  const cleaned = pattern.replace(/^(\.\/|\/)+/, '');
  const scan = picomatch.scan(cleaned, { parts: true });
  if (!scan.isGlob) {
    const base = cleaned.replace(/\/+$/, '');
    return { pattern, base, literal: true, maxDepth: 0, matches: (path) => path === base };
  }
  const base = scan.base.replace(/\/+$/, '');
  const globParts = scan.glob.split('/');
  // A brace or extglob may hide a "/" (e.g. "{a/b,c}"), so only plain part lists bound the depth.
  const unbounded = scan.glob.includes('**') || /[{(]/.test(scan.glob);
  return {
    pattern,
    base,
    literal: false,
    maxDepth: unbounded ? Number.POSITIVE_INFINITY : globParts.length,
    matches: picomatch(cleaned),
  };
}
