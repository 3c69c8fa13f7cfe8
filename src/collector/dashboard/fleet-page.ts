// The fleet page's template data from the fleet view.
import type { Lang } from '../../lang.js';
import { catalogFor } from '../../report/i18n/index.js';
import { CHECK_CODES, CHECK_STATUSES, VERDICTS } from '../../report-schema/words.js';
import { type FleetQuery, fleetSearch, SORT_KEYS } from './fleet-query.js';
import type { FleetView } from './fleet-view.js';
import { checkCellsHtml } from './check-cells.js';
import { agentHref, agentMarks, checkColumns, datasetHref, statusLabel, tallies } from './labels.js';
import { fill, stringsFor } from './strings.js';
import type { Clocks } from './time.js';

function options<T extends string>(values: readonly T[], chosen: T | null, label: (value: T) => string) {
  return values.map((value) => ({ value, label: label(value), selected: value === chosen }));
}

export function fleetPage(lang: Lang, clocks: Clocks, query: FleetQuery, view: FleetView) {
  const t = stringsFor(lang);
  const catalog = catalogFor(lang);
  const shownQuery = { ...query, page: view.page };
  const sortHref = Object.fromEntries(
    SORT_KEYS.map((sort) => [
      sort,
      `/${fleetSearch(shownQuery, { sort, descending: sort === query.sort ? !query.descending : false, page: 1 })}`,
    ]),
  );
  return {
    ...tallies(lang, view.counts),
    query,
    printSearch: fleetSearch({ ...query, page: 1 }),
    verdictOptions: options(VERDICTS, query.verdict, (v) => catalog.verdicts[v]),
    checkOptions: options(CHECK_CODES, query.check, (c) => catalog.checks[c]),
    checkStatusOptions: options(CHECK_STATUSES, query.checkStatus, (s) => catalog.statuses[s]),
    sortOptions: options(SORT_KEYS, query.sort, (s) => t[`sort.${s}`]),
    sortHref,
    checkColumns: checkColumns(lang),
    showing: fill(t.showing, { from: view.from, to: view.to, matched: view.matched, total: view.counts.total }),
    pageText: fill(t.page, { page: view.page, pages: view.pages }),
    prevHref: view.page > 1 ? `/${fleetSearch(shownQuery, { page: view.page - 1 })}` : null,
    nextHref: view.page < view.pages ? `/${fleetSearch(shownQuery, { page: view.page + 1 })}` : null,
    rows: view.rows.map(({ agent, datasets }) => ({
      id: agent.id,
      href: agentHref(agent.id),
      hostName: agent.hostName,
      status: agent.status,
      statusLabel: statusLabel(lang, agent.status),
      lastReceived: clocks.short(agent.lastReceivedAt),
      marks: agentMarks(t, agent),
      lines:
        datasets.length === 0
          ? [{ dataset: null }]
          : datasets.map((dataset) => ({
              dataset: dataset.datasetId,
              href: datasetHref(dataset.datasetId),
              verdict: dataset.verdict,
              verdictLabel: catalog.verdicts[dataset.verdict],
              checkCells: checkCellsHtml(lang, dataset),
            })),
    })),
  };
}
