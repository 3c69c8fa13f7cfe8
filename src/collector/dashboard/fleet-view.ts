// What the fleet page shows: the counts, then one page of the agents that match the filters, each with
// its latest datasets. The store filters, sorts, pages and counts (in SQL); only the latest-state tables
// are read, and datasets only for the page's agents (one query), so a page costs about the same
// whatever the fleet's size and history.
import type {
  AgentQuery,
  AgentSummary,
  CollectorStore,
  DatasetChecks,
  Liveness,
  VerdictCounts,
} from '../store/types.js';
import type { FleetQuery } from './fleet-query.js';

export interface AgentRow {
  agent: AgentSummary;
  datasets: DatasetChecks[];
}

export interface FleetCountsView {
  total: number;
  byStatus: VerdictCounts & { silent: number };
  /** A silent agent is non-compliant here. */
  compliance: VerdictCounts;
}

export interface FleetView {
  counts: FleetCountsView;
  matched: number;
  page: number;
  pages: number;
  from: number;
  to: number;
  rows: AgentRow[];
}

/** The fleet page's filters as the store's (no sort, no page). */
export function agentFilters(query: FleetQuery): Omit<AgentQuery, 'limit'> {
  return {
    ...(query.verdict === null ? {} : { verdict: query.verdict }),
    ...(query.check === null ? {} : { check: query.check }),
    ...(query.checkStatus === null ? {} : { checkStatus: query.checkStatus }),
    ...(query.name === '' ? {} : { name: query.name }),
    ...(query.silentOnly ? { silent: true } : {}),
  };
}

/** The store's query for a fleet page: the filters and sort as chosen, one page of agents. */
export function agentQuery(query: FleetQuery, pageSize: number, page: number): AgentQuery {
  return {
    ...agentFilters(query),
    sort: query.sort,
    descending: query.descending,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  };
}

export async function fleetView(
  store: CollectorStore,
  liveness: Liveness,
  query: FleetQuery,
  pageSize: number,
): Promise<FleetView> {
  const [fleet, asked] = await Promise.all([
    store.agentCounts(liveness),
    store.agentsPage(agentQuery(query, pageSize, query.page), liveness),
  ]);
  const pages = Math.max(1, Math.ceil(asked.matched / pageSize));
  const page = Math.min(query.page, pages);
  // A page past the end (a bookmark of a fleet that shrank) shows the last one.
  const shown = page === query.page ? asked : await store.agentsPage(agentQuery(query, pageSize, page), liveness);
  const datasets = await store.datasetChecks(shown.agents.map((agent) => agent.id));
  const byAgent = new Map<string, DatasetChecks[]>();
  for (const dataset of datasets) {
    const own = byAgent.get(dataset.agentId);
    if (own) own.push(dataset);
    else byAgent.set(dataset.agentId, [dataset]);
  }
  const start = (page - 1) * pageSize;
  return {
    counts: { total: fleet.agents, byStatus: fleet.byStatus, compliance: fleet.compliance },
    matched: shown.matched,
    page,
    pages,
    from: shown.matched === 0 ? 0 : start + 1,
    to: start + shown.agents.length,
    rows: shown.agents.map((agent) => ({ agent, datasets: byAgent.get(agent.id) ?? [] })),
  };
}
