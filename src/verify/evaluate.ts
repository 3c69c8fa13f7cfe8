// The second stage: evaluate datasets from the locations' results. Pure: nothing is read, and the
// results are left as they were unless the caller hands them over (`consume`), as a one-off run does.
import type { Config, DatasetConfig } from '../config/types.js';
import type { Copy, DrillLog, LocationStatus, SourceResult } from '../model.js';
import { evaluateDataset } from '../policy/evaluate.js';
import type { ReportInput } from '../report/build.js';
import { unreadableFor } from './unreadable.js';

export interface EvaluationInput {
  config: Config;
  datasets: DatasetConfig[];
  /** The latest result of each location the datasets use. */
  results: SourceResult[];
  drills: DrillLog;
  now: Date;
  /**
   * The caller gives the results up (a one-off run that drops them after): the copies are assessed in
   * place and each dataset's list let go once evaluated, so a million copies are never held twice.
   * Without it the results are not touched, and can be evaluated again (the agent keeps them).
   */
  consume?: boolean;
}

export interface Evaluation {
  datasets: ReportInput['datasets'];
  sources: LocationStatus[];
}

/**
 * Adds a source's copies to their datasets' lists. A function of its own, so its loop is compiled apart
 * from verify(); a source lists a dataset's copies together: one map lookup per run of them, not per copy.
 */
function addByDataset(byDataset: Map<string, Copy[]>, copies: Copy[]): void {
  let dataset: string | undefined;
  let list: Copy[] = [];
  for (let i = 0; i < copies.length; i++) {
    const copy = copies[i] as Copy;
    if (copy.dataset !== dataset) {
      dataset = copy.dataset;
      list = byDataset.get(dataset) ?? [];
      byDataset.set(dataset, list);
    }
    list.push(copy);
  }
}

export function evaluateDatasets(input: EvaluationInput): Evaluation {
  const { config, datasets, results, drills, now } = input;
  const consume = input.consume ?? false;
  const byDataset = new Map<string, Copy[]>();
  for (const result of results) addByDataset(byDataset, result.copies);
  if (consume) for (const result of results) result.copies = [];
  const sources = results.map((r) => r.status);
  const offlineIds = new Set(config.locations.filter((l) => l.type === 'offline-log').map((l) => l.id));
  const evaluated = datasets.map((dataset, index) => {
    const locations = Object.keys(dataset.copies);
    const read = dataset.primary ? [...locations, dataset.primary.location] : locations;
    // (`--dataset x --dataset x` names it twice: its list is kept for its last evaluation.)
    const last = datasets.lastIndexOf(dataset) === index;
    const evaluation = evaluateDataset({
      id: dataset.id,
      policy: dataset.policy,
      locations,
      offlineLocations: locations.filter((id) => offlineIds.has(id)),
      copies: byDataset.get(dataset.id) ?? [],
      unreadable: unreadableFor(dataset.id, read, sources),
      drills,
      now,
      assessInPlace: consume && last,
    });
    if (consume && last) byDataset.delete(dataset.id);
    return { config: dataset, locations, evaluation };
  });
  return { datasets: evaluated, sources };
}
