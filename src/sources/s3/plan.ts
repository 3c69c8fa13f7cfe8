// Turns dataset patterns (key prefixes or globs under the location prefix) into listings and matchers.
import picomatch from 'picomatch';
import type { DatasetPatterns } from '../../config/types.js';

export interface PatternPlan {
  dataset: string;
  role: 'backup' | 'primary';
  pattern: string;
  /** The S3 prefix to list: location prefix + the pattern's static part. */
  listPrefix: string;
  /** Whether a listed key (full key) belongs to this pattern. */
  matches: (key: string) => boolean;
  /** A pattern that may name one object exactly (no glob, no trailing "/"): HEAD-able without ListBucket. */
  exactKey?: string;
}

export function planPattern(locationPrefix: string, dataset: DatasetPatterns, pattern: string): PatternPlan {
  const relative = pattern.replace(/^\/+/, '');
  const scan = picomatch.scan(relative);
  const base = { dataset: dataset.dataset, role: dataset.role, pattern };
  if (!scan.isGlob) {
    // A plain pattern is an S3 prefix, with S3's semantics: "erp" also matches "erp-old/…"; write "erp/".
    const listPrefix = locationPrefix + relative;
    const plan: PatternPlan = {
      ...base,
      listPrefix,
      matches: (key) => key.startsWith(listPrefix),
    };
    if (relative !== '' && !relative.endsWith('/')) plan.exactKey = listPrefix;
    return plan;
  }
  // List only from the glob's static directory, then match keys relative to the location prefix.
  const staticBase = scan.base ? `${scan.base}/` : '';
  const isMatch = picomatch(relative, { dot: true });
  return {
    ...base,
    listPrefix: locationPrefix + staticBase,
    matches: (key) => key.startsWith(locationPrefix) && isMatch(key.slice(locationPrefix.length)),
  };
}

export function planPatterns(locationPrefix: string, datasets: DatasetPatterns[]): PatternPlan[] {
  return datasets.flatMap((dataset) =>
    dataset.patterns.map((pattern) => planPattern(locationPrefix, dataset, pattern)),
  );
}

/**
 * The prefixes to list, without ones already covered by a shorter listed prefix (a listing of "erp/"
 * already holds everything under "erp/db/"), so each object is listed once.
 */
export function listingPrefixes(plans: PatternPlan[]): string[] {
  const unique = [...new Set(plans.map((plan) => plan.listPrefix))].sort();
  const kept: string[] = [];
  for (const prefix of unique) {
    if (!kept.some((shorter) => prefix.startsWith(shorter))) kept.push(prefix);
  }
  return kept;
}

/** The listing that covers a pattern's prefix. */
export function coveringPrefix(prefixes: string[], listPrefix: string): string | undefined {
  return prefixes.find((prefix) => listPrefix.startsWith(prefix));
}

export function baseName(key: string): string {
  const index = key.lastIndexOf('/');
  return index === -1 ? key : key.slice(index + 1);
}

export function dirName(key: string): string {
  const index = key.lastIndexOf('/');
  return index === -1 ? '' : key.slice(0, index + 1);
}
