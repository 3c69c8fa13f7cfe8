// One dataset id across the fleet: each agent's latest state of a dataset of that id.
import type { Lang } from '../../lang.js';
import { catalogFor } from '../../report/i18n/index.js';
import type { CollectorStore } from '../store/types.js';
import { agentHref, checkCells, checkColumns } from './labels.js';
import { fill, stringsFor } from './strings.js';
import type { Clocks } from './time.js';

export async function datasetPage(lang: Lang, clocks: Clocks, store: CollectorStore, datasetId: string) {
  const catalog = catalogFor(lang);
  // The store filters datasets by agent, verdict and check, not by id: the id is matched here.
  const rows = (await store.datasets({})).filter((dataset) => dataset.datasetId === datasetId);
  return {
    datasetId,
    heading: fill(stringsFor(lang).acrossFleet, { dataset: datasetId }),
    checkColumns: checkColumns(lang),
    rows: rows.map((dataset) => ({
      agentId: dataset.agentId,
      href: agentHref(dataset.agentId),
      verdict: dataset.verdict,
      verdictLabel: catalog.verdicts[dataset.verdict],
      finishedAt: clocks.short(dataset.finishedAt),
      checks: checkCells(lang, dataset),
    })),
  };
}
