// What the fleet page shows: the counts, then one page of the agents that match the filters, each with
// its latest datasets. Only the latest-state tables are read, and datasets only for the page's agents,
// so the first page costs the same whatever the history holds.
import type {
  AgentStatus,
  AgentSummary,
  CollectorStore,
  DatasetState,
  Liveness,
  VerdictCounts,
} from '../store/types.js';
import { complianceOf } from '../store/agents.js';
import type { FleetQuery } from './fleet-query.js';

export interface AgentRow {
  agent: AgentSummary;
  datasets: DatasetState[];
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

/** Worst first: silence is a failure, and a failure outranks what is merely unknown. */
const SEVERITY: Record<AgentStatus, number> = {
  silent: 4,
  'non-compliant': 3,
  unknown: 2,
  'at-risk': 1,
  compliant: 0,
};

const STATUS_KEY = {
  compliant: 'compliant',
  'at-risk': 'atRisk',
  'non-compliant': 'nonCompliant',
  unknown: 'unknown',
  silent: 'silent',
} as const;

/** The same counts as the store's fleet(), from the list already read (one pass over the agents, not two). */
export function countAgents(agents: readonly AgentSummary[]): FleetCountsView {
  const byStatus = { compliant: 0, atRisk: 0, nonCompliant: 0, unknown: 0, silent: 0 };
  for (const agent of agents) byStatus[STATUS_KEY[agent.status]] += 1;
  return {
    total: agents.length,
    byStatus,
    compliance: complianceOf(byStatus),
  };
}

function compare(sort: FleetQuery['sort']): (a: AgentSummary, b: AgentSummary) => number {
  const byName = (a: AgentSummary, b: AgentSummary) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  switch (sort) {
    case 'name':
      return byName;
    case 'lastReport':
      // Oldest first: the agents that stopped reporting come up.
      return (a, b) => Date.parse(a.lastReceivedAt) - Date.parse(b.lastReceivedAt) || byName(a, b);
    case 'missing':
      return (a, b) => b.missingReports - a.missingReports || b.reinstalls - a.reinstalls || byName(a, b);
    default:
      return (a, b) => SEVERITY[b.status] - SEVERITY[a.status] || byName(a, b);
  }
}

async function matching(store: CollectorStore, agents: AgentSummary[], query: FleetQuery): Promise<AgentSummary[]> {
  const needle = query.name.toLowerCase();
  let kept = agents.filter(
    (agent) =>
      (query.verdict === null || agent.verdict === query.verdict) &&
      (!query.silentOnly || agent.silent) &&
      (needle === '' || agent.id.toLowerCase().includes(needle) || agent.hostName.toLowerCase().includes(needle)),
  );
  if (query.check !== null || query.checkStatus !== null) {
    const datasets = await store.datasets({
      ...(query.check === null ? {} : { check: query.check }),
      ...(query.checkStatus === null ? {} : { status: query.checkStatus }),
    });
    const ids = new Set(datasets.map((dataset) => dataset.agentId));
    kept = kept.filter((agent) => ids.has(agent.id));
  }
  return kept;
}

export async function fleetView(
  store: CollectorStore,
  liveness: Liveness,
  query: FleetQuery,
  pageSize: number,
): Promise<FleetView> {
  const agents = await store.agents(liveness);
  const kept = await matching(store, agents, query);
  const order = compare(query.sort);
  kept.sort(query.descending ? (a, b) => order(b, a) : order);
  const pages = Math.max(1, Math.ceil(kept.length / pageSize));
  const page = Math.min(query.page, pages);
  const start = (page - 1) * pageSize;
  const shown = kept.slice(start, start + pageSize);
  const rows = await Promise.all(
    shown.map(async (agent) => ({ agent, datasets: await store.datasets({ agentId: agent.id }) })),
  );
  return {
    counts: countAgents(agents),
    matched: kept.length,
    page,
    pages,
    from: kept.length === 0 ? 0 : start + 1,
    to: start + shown.length,
    rows,
  };
}
