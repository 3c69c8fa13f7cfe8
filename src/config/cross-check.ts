// Problems the schema cannot express (duplicate ids, unknown location ids), found even in a document the schema rejects.
import type { ConfigProblem } from '../errors.js';
import { escapingPatterns } from './pattern-escape.js';

type Loose = Record<string, unknown>;

/** The entries of an array that are objects, with their index; anything else is the schema's to report. */
export function objectsIn(value: unknown): Array<{ index: number; item: Loose }> {
  if (!Array.isArray(value)) return [];
  return value
    .map((item, index) => ({ index, item }))
    .filter((entry): entry is { index: number; item: Loose } => typeof entry.item === 'object' && entry.item !== null);
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function repeatedIds(entries: Array<{ index: number; item: Loose }>, what: string, at: string): ConfigProblem[] {
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const { index, item } of entries) {
    const id = text(item.id);
    if (id === undefined) continue;
    // The first use is not the mistake: name the later ones.
    if (seen.has(id)) {
      problems.push({
        path: `${at}[${index}].id`,
        message: `${what} id "${id}" is used more than once`,
        hint: `give every ${what} its own id`,
        severity: 'error',
      });
    }
    seen.add(id);
  }
  return problems;
}

export function crossCheck(document: unknown): ConfigProblem[] {
  const root = (typeof document === 'object' && document !== null ? document : {}) as Loose;
  const locations = objectsIn(root.locations);
  const datasets = objectsIn(root.datasets);
  const problems = [
    ...repeatedIds(locations, 'location', 'locations'),
    ...repeatedIds(datasets, 'dataset', 'datasets'),
    ...escapingPatterns(datasets, locations),
  ];
  const byId = new Map(locations.map(({ item }) => [text(item.id), item]));
  const locationIds = [...byId.keys()].filter((id): id is string => id !== undefined);
  for (const { index, item } of datasets) {
    const copies = item.copies;
    if (typeof copies === 'object' && copies !== null && !Array.isArray(copies)) {
      for (const locationId of Object.keys(copies)) {
        if (!byId.has(locationId)) {
          problems.push({
            path: `datasets[${index}].copies.${locationId}`,
            message: `no location has the id "${locationId}"`,
            hint: `use one of: ${locationIds.join(', ')}`,
            severity: 'error',
          });
        }
      }
    }
    const primary = item.primary as Loose | undefined;
    const primaryId = text(primary?.location);
    if (primaryId !== undefined) {
      const location = byId.get(primaryId);
      if (location?.type !== 'disk') {
        problems.push({
          path: `datasets[${index}].primary.location`,
          message: location ? 'the primary data must be on a disk location' : `no location has the id "${primaryId}"`,
          hint: 'name a location of type "disk"',
          severity: 'error',
        });
      }
    }
  }
  return problems;
}
