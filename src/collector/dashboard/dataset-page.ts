// One dataset id across the fleet: each agent's latest state of a dataset of that id, a page of agents
// at a time (by agent id), read through the store's (dataset_id, agent_id) index.
import type { Lang } from '../../lang.js';
import { catalogFor } from '../../report/i18n/index.js';
import type { CollectorStore } from '../store/types.js';
import { agentHref, checkCells, checkColumns, datasetHref } from './labels.js';
import { fill, stringsFor } from './strings.js';
import type { Clocks } from './time.js';

export interface DatasetPageOptions {
  datasetId: string;
  /** 1-based; past the end shows the last page. */
  page: number;
  pageSize: number;
}

export async function datasetPage(lang: Lang, clocks: Clocks, store: CollectorStore, options: DatasetPageOptions) {
  const { datasetId, pageSize } = options;
  const t = stringsFor(lang);
  const catalog = catalogFor(lang);
  const pageOf = (page: number) =>
    store.datasetsPage({ datasetId }, { limit: pageSize, offset: (page - 1) * pageSize });
  const asked = await pageOf(options.page);
  const pages = Math.max(1, Math.ceil(asked.matched / pageSize));
  const page = Math.min(options.page, pages);
  const shown = page === options.page ? asked : await pageOf(page);
  const start = (page - 1) * pageSize;
  const href = (n: number) => `${datasetHref(datasetId)}${n === 1 ? '' : `?page=${n}`}`;
  return {
    datasetId,
    heading: fill(t.acrossFleet, { dataset: datasetId }),
    checkColumns: checkColumns(lang),
    showing: fill(t.datasetShowing, {
      from: shown.matched === 0 ? 0 : start + 1,
      to: start + shown.datasets.length,
      matched: shown.matched,
    }),
    pageText: fill(t.page, { page, pages }),
    prevHref: page > 1 ? href(page - 1) : null,
    nextHref: page < pages ? href(page + 1) : null,
    rows: shown.datasets.map((dataset) => ({
      agentId: dataset.agentId,
      href: agentHref(dataset.agentId),
      verdict: dataset.verdict,
      verdictLabel: catalog.verdicts[dataset.verdict],
      finishedAt: clocks.short(dataset.finishedAt),
      checks: checkCells(lang, dataset),
    })),
  };
}
