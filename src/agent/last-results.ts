// What the agent knows between runs: each location's last result and each dataset's last evaluation,
// so a change at one location is read there alone and only the datasets that use it are judged again.
import type { Config, DatasetConfig } from '../config/types.js';
import type { DatasetEvaluation } from '../policy/evaluate.js';
import type { DrillLog, SourceResult } from '../model.js';

export interface EvaluatedDataset {
  config: DatasetConfig;
  locations: string[];
  evaluation: DatasetEvaluation;
}

export interface LastResults {
  /** Keeps these locations' results in place of the ones they replace. */
  keep(results: SourceResult[], drills: DrillLog): void;
  keepEvaluations(evaluated: EvaluatedDataset[]): void;
  /** The results of these locations, in the config's order; undefined when one was never read. */
  resultsOf(locationIds: string[]): SourceResult[] | undefined;
  drills(): DrillLog | undefined;
  /** Every dataset's last evaluation in the config's order; undefined until each was judged once. */
  evaluations(config: Config): EvaluatedDataset[] | undefined;
  /** Forgets everything (a new config: what was read was read for other settings). */
  clear(): void;
}

export function createLastResults(): LastResults {
  const byLocation = new Map<string, SourceResult>();
  const byDataset = new Map<string, EvaluatedDataset>();
  let drills: DrillLog | undefined;
  return {
    keep(results, newDrills) {
      for (const result of results) byLocation.set(result.status.id, result);
      drills = newDrills;
    },
    keepEvaluations(evaluated) {
      for (const entry of evaluated) byDataset.set(entry.config.id, entry);
    },
    resultsOf(locationIds) {
      const results: SourceResult[] = [];
      for (const id of locationIds) {
        const result = byLocation.get(id);
        if (!result) return undefined;
        results.push(result);
      }
      return results;
    },
    drills: () => drills,
    evaluations(config) {
      const entries: EvaluatedDataset[] = [];
      for (const dataset of config.datasets) {
        const entry = byDataset.get(dataset.id);
        if (!entry) return undefined;
        entries.push(entry);
      }
      return entries;
    },
    clear() {
      byLocation.clear();
      byDataset.clear();
      drills = undefined;
    },
  };
}

/** The locations a dataset reads: its copies' and its primary data's. */
export function locationsOfDataset(dataset: DatasetConfig): string[] {
  const ids = Object.keys(dataset.copies);
  if (dataset.primary && !ids.includes(dataset.primary.location)) ids.push(dataset.primary.location);
  return ids;
}

/** The datasets that read any of these locations (all of them when the drill log changed: each has drills). */
export function datasetsAffected(config: Config, locations: string[], drillsChanged: boolean): DatasetConfig[] {
  if (drillsChanged) return config.datasets;
  const changed = new Set(locations);
  return config.datasets.filter((dataset) => locationsOfDataset(dataset).some((id) => changed.has(id)));
}
