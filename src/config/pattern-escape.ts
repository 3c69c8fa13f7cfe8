// A disk pattern may not climb out of its location: ".." segments are refused (the disk source refuses them too).
import type { ConfigProblem } from '../errors.js';
import { jsonPath } from './json-path.js';
import { configProblem } from './problem.js';

/**
 * True when a pattern has a ".." segment ("../../tmp/x", "erp/../../etc"). Refused even where it
 * would stay inside ("erp/../mail"): no pattern needs one, and a rule with no exception is easy to check.
 * A glob cannot produce one: a directory listing never holds "." or "..".
 */
export function hasParentSegment(pattern: string): boolean {
  return pattern.split('/').includes('..');
}

type Entries = Array<{ index: number; item: Record<string, unknown> }>;

/** Every disk pattern of the datasets with a ".." segment, by its JSON path (entries as cross-check.ts's objectsIn gives them). */
export function escapingPatterns(datasets: Entries, locations: Entries): ConfigProblem[] {
  const disks = new Set(locations.filter(({ item }) => item.type === 'disk').map(({ item }) => item.id));
  const problems: ConfigProblem[] = [];
  const check = (value: unknown, path: string): void => {
    const patterns = Array.isArray(value) ? value : [value];
    patterns.forEach((pattern, index) => {
      if (typeof pattern !== 'string' || !hasParentSegment(pattern)) return;
      const at = Array.isArray(value) ? `${path}[${index}]` : path;
      problems.push(configProblem(at, 'config.pattern-escapes', { pattern: JSON.stringify(pattern) }));
    });
  };
  for (const { index, item } of datasets) {
    const copies = item.copies;
    if (typeof copies === 'object' && copies !== null && !Array.isArray(copies)) {
      for (const [locationId, value] of Object.entries(copies))
        if (disks.has(locationId)) check(value, jsonPath(['datasets', index, 'copies', locationId]));
    }
    const primary = item.primary as Record<string, unknown> | undefined;
    if (primary && disks.has(primary.location)) check(primary.pattern, `datasets[${index}].primary.pattern`);
  }
  return problems;
}
