// Problems the schema cannot express (duplicate ids, unknown location ids), found even in a document the schema rejects.
import type { ConfigProblem } from '../errors.js';
import { jsonPath } from './json-path.js';
import { escapingPatterns } from './pattern-escape.js';
import { configProblem } from './problem.js';

type Loose = Record<string, unknown>;

/** The entries of an array that are objects, with their index; anything else is the schema's to report. */
export function objectsIn(value: unknown): Array<{ index: number; item: Loose }> {
  if (!Array.isArray(value)) return [];
  return value
    .map((item, index) => ({ index, item }))
    .filter((entry): entry is { index: number; item: Loose } => typeof entry.item === 'object' && entry.item !== null);
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function repeatedIds(
  entries: Array<{ index: number; item: Loose }>,
  code: 'config.duplicate-location-id' | 'config.duplicate-dataset-id',
  at: string,
): ConfigProblem[] {
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const { index, item } of entries) {
    const id = text(item.id);
    if (id === undefined) continue;
    // The first use is not the mistake: name the later ones.
    if (seen.has(id)) {
      problems.push(configProblem(`${at}[${index}].id`, code, { id }));
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
    ...repeatedIds(locations, 'config.duplicate-location-id', 'locations'),
    ...repeatedIds(datasets, 'config.duplicate-dataset-id', 'datasets'),
    ...escapingPatterns(datasets, locations),
  ];
  const byId = new Map(locations.map(({ item }) => [text(item.id), item]));
  const locationIds = [...byId.keys()].filter((id): id is string => id !== undefined);
  for (const { index, item } of datasets) {
    const copies = item.copies;
    if (typeof copies === 'object' && copies !== null && !Array.isArray(copies)) {
      for (const locationId of Object.keys(copies)) {
        if (!byId.has(locationId)) {
          problems.push(
            configProblem(jsonPath(['datasets', index, 'copies', locationId]), 'config.unknown-location-id', {
              id: locationId,
              ids: locationIds,
            }),
          );
        }
      }
    }
    const primary = item.primary as Loose | undefined;
    const primaryId = text(primary?.location);
    if (primaryId !== undefined) {
      const location = byId.get(primaryId);
      if (location?.type !== 'disk') {
        problems.push(
          location
            ? configProblem(`datasets[${index}].primary.location`, 'config.primary-not-disk')
            : configProblem(`datasets[${index}].primary.location`, 'config.unknown-primary-location', {
                id: primaryId,
              }),
        );
      }
    }
  }
  return problems;
}
