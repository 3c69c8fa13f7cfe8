// Compiles a dataset's glob patterns into where to start walking, how deep to go and what matches.
import picomatch from 'picomatch';
import type { PatternRule } from './directory-job.js';

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
  /** The same test as data, for the walk's worker threads: `path === glob || new RegExp(source, flags).test(path)`. */
  rule: PatternRule;
}

export function compilePattern(pattern: string): CompiledPattern {
  // "./erp/*.dump" and "/erp/*.dump" mean the same thing inside a location.
  const cleaned = pattern.replace(/^(\.\/|\/)+/, '');
  const scan = picomatch.scan(cleaned, { parts: true });
  if (!scan.isGlob) {
    const base = cleaned.replace(/\/+$/, '');
    // "(?!)" never matches: a literal means its own path and nothing else.
    const rule = { glob: base, source: '(?!)', flags: '' };
    return { pattern, base, literal: true, maxDepth: 0, matches: (path) => path === base, rule };
  }
  const base = scan.base.replace(/\/+$/, '');
  const globParts = scan.glob.split('/');
  // A brace or extglob may hide a "/" (e.g. "{a/b,c}"), so only plain part lists bound the depth.
  const unbounded = scan.glob.includes('**') || /[{(]/.test(scan.glob);
  // What picomatch(cleaned)(path) decides, without the result object it makes per call (once per file).
  const regex = picomatch.makeRe(cleaned);
  return {
    pattern,
    base,
    literal: false,
    maxDepth: unbounded ? Number.POSITIVE_INFINITY : globParts.length,
    matches: (path) => path !== '' && (path === cleaned || regex.test(path)),
    rule: { glob: cleaned, source: regex.source, flags: regex.flags },
  };
}
