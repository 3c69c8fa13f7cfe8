// Which datasets a run covers, and which locations it must read for them (with each dataset's patterns).
import type { Config, DatasetConfig, DatasetPatterns, LocationConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import { msg } from '../messages/index.js';

export function selectDatasets(config: Config, ids: string[] | undefined): DatasetConfig[] {
  if (!ids || ids.length === 0) return config.datasets;
  const byId = new Map(config.datasets.map((dataset) => [dataset.id, dataset]));
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    throw new UsageError(
      msg('usage.unknown-dataset', {
        ids: unknown.map((id) => `"${id}"`),
        known: config.datasets.map((d) => d.id),
      }),
    );
  }
  return ids.map((id) => byId.get(id) as DatasetConfig);
}

export interface LocationWork {
  location: LocationConfig;
  datasets: DatasetPatterns[];
}

/** The locations the selected datasets use, in config order, each with the patterns to read there. */
export function locationsToRead(config: Config, datasets: DatasetConfig[]): LocationWork[] {
  return config.locations
    .map((location) => {
      const patterns: DatasetPatterns[] = [];
      for (const dataset of datasets) {
        const backup = dataset.copies[location.id];
        if (backup) patterns.push({ dataset: dataset.id, patterns: backup, role: 'backup' });
        if (dataset.primary?.location === location.id) {
          patterns.push({ dataset: dataset.id, patterns: dataset.primary.patterns, role: 'primary' });
        }
      }
      return { location, datasets: patterns };
    })
    .filter((work) => work.datasets.length > 0);
}
