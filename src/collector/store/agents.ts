// The fleet as the latest state gives it: agents, their instances and silence, and the fleet's counts.
// Every query here reads the latest-state tables (agents, agent_instances, datasets), never the history.
// Filters, sorting, paging and counts run in the database: at 10,000 agents reading them all into
// memory for each page cost about a second (issue 29).
import { type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { iso, isoOrNull, missingIn, VERDICT_RANK, verdictOfRank } from './rows.js';
import type { CollectorDatabase } from './tables.js';
import type {
  AgentCounts,
  AgentQuery,
  AgentsPage,
  AgentSummary,
  FleetCounts,
  InstanceState,
  Liveness,
  VerdictCounts,
} from './types.js';

type Db = Kysely<CollectorDatabase>;

/** The largest page agentsPage gives. */
export const MAX_AGENTS_PAGE = 1000;

/** An agent's standing as a rank, worst highest: silent 4, else its worst verdict's rank (none: unknown, 2). */
const SILENT_RANK = 4;
const UNKNOWN_RANK = VERDICT_RANK.unknown;

/** Nothing received for longer than silentAfterMs before `now`: received before this instant. */
function silentBefore(liveness: Liveness): string {
  return new Date(liveness.now.getTime() - liveness.silentAfterMs).toISOString();
}

function standing(cutoff: string): RawBuilder<number> {
  return sql<number>`CASE WHEN agents.last_received_at < ${cutoff} THEN ${sql.lit(SILENT_RANK)} ELSE COALESCE(agents.worst_rank, ${sql.lit(UNKNOWN_RANK)}) END`;
}

const SUMMARY_COLUMNS = [
  'agents.agent_id',
  'agents.instance_id',
  'agents.host_name',
  'agents.product_version',
  'agents.first_seen_at',
  'agents.last_received_at',
  'agents.report_id',
  'agents.seq',
  'agents.finished_at',
  'agents.next_run_at',
  'agents.trigger',
  'agents.worst_rank',
] as const;

export async function instancesOf(
  db: Db,
  agentIds?: string | readonly string[],
): Promise<Map<string, InstanceState[]>> {
  const byAgent = new Map<string, InstanceState[]>();
  if (Array.isArray(agentIds) && agentIds.length === 0) return byAgent;
  let query = db.selectFrom('agent_instances').selectAll().orderBy('agent_id').orderBy('first_finished_at');
  if (typeof agentIds === 'string') query = query.where('agent_id', '=', agentIds);
  else if (agentIds !== undefined) query = query.where('agent_id', 'in', agentIds);
  for (const row of await query.execute()) {
    const list = byAgent.get(row.agent_id) ?? [];
    list.push({
      instanceId: row.instance_id,
      firstSeenAt: iso(row.first_seen_at),
      lastReceivedAt: iso(row.last_received_at),
      firstFinishedAt: iso(row.first_finished_at),
      minSeq: row.min_seq,
      maxSeq: row.max_seq,
      missingReports: missingIn(row.min_seq, row.max_seq, row.seq_reports),
    });
    byAgent.set(row.agent_id, list);
  }
  return byAgent;
}

/** The fleet's compliance counts: silence is a failure, so a silent agent counts as non-compliant. */
export function complianceOf(byStatus: FleetCounts['byStatus']): FleetCounts['compliance'] {
  return {
    compliant: byStatus.compliant,
    atRisk: byStatus.atRisk,
    nonCompliant: byStatus.nonCompliant + byStatus.silent,
    unknown: byStatus.unknown,
  };
}

function isSilent(lastReceivedAt: string, liveness: Liveness): boolean {
  return liveness.now.getTime() - Date.parse(lastReceivedAt) > liveness.silentAfterMs;
}

type SummaryRow = {
  agent_id: string;
  instance_id: string;
  host_name: string;
  product_version: string;
  first_seen_at: Date | string;
  last_received_at: Date | string;
  report_id: string;
  seq: number | null;
  finished_at: Date | string;
  next_run_at: Date | string | null;
  trigger: string;
  worst_rank: number | null;
};

async function summaries(db: Db, rows: SummaryRow[], liveness: Liveness, agentId?: string): Promise<AgentSummary[]> {
  const instances = await instancesOf(db, agentId ?? rows.map((row) => row.agent_id));
  return rows.map((row) => {
    const lastReceivedAt = iso(row.last_received_at);
    const verdict = verdictOfRank(row.worst_rank === null ? null : Number(row.worst_rank));
    const silent = isSilent(lastReceivedAt, liveness);
    const own = instances.get(row.agent_id) ?? [];
    return {
      id: row.agent_id,
      instanceId: row.instance_id,
      hostName: row.host_name,
      productVersion: row.product_version,
      firstSeenAt: iso(row.first_seen_at),
      lastReceivedAt,
      lastReportId: row.report_id,
      lastSeq: row.seq,
      lastFinishedAt: iso(row.finished_at),
      nextRunAt: isoOrNull(row.next_run_at),
      trigger: row.trigger,
      verdict,
      silent,
      status: silent ? 'silent' : verdict,
      instanceCount: own.length,
      reinstalls: Math.max(0, own.length - 1),
      missingReports: own.reduce((sum, instance) => sum + instance.missingReports, 0),
    };
  });
}

/** Every agent (or one), by id: the API's list. */
export async function listAgents(db: Db, liveness: Liveness, agentId?: string): Promise<AgentSummary[]> {
  let query = db.selectFrom('agents').select(SUMMARY_COLUMNS).orderBy('agents.agent_id');
  if (agentId !== undefined) query = query.where('agents.agent_id', '=', agentId);
  return summaries(db, await query.execute(), liveness, agentId);
}

/** LIKE's own characters in the user's text taken literally (escaped with '!'). */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

type AgentsQuery = SelectQueryBuilder<CollectorDatabase, 'agents', object>;

function filtered(query: AgentsQuery, filter: AgentQuery, cutoff: string): AgentsQuery {
  let q = query;
  if (filter.verdict !== undefined) {
    const rank = VERDICT_RANK[filter.verdict];
    q =
      filter.verdict === 'unknown'
        ? q.where((eb) => eb.or([eb('agents.worst_rank', '=', rank), eb('agents.worst_rank', 'is', null)]))
        : q.where('agents.worst_rank', '=', rank);
  }
  if (filter.silent === true) q = q.where('agents.last_received_at', '<', cutoff);
  if (filter.silent === false) q = q.where('agents.last_received_at', '>=', cutoff);
  if (filter.name) {
    const pattern = containsPattern(filter.name);
    q = q.where(
      (eb) =>
        sql<boolean>`(lower(${eb.ref('agents.agent_id')}) LIKE ${pattern} ESCAPE '!' OR lower(${eb.ref('agents.host_name')}) LIKE ${pattern} ESCAPE '!')`,
    );
  }
  if (filter.check !== undefined || filter.checkStatus !== undefined) {
    q = q.where('agents.agent_id', 'in', (eb) => {
      let checks = eb.selectFrom('dataset_checks').select('dataset_checks.agent_id');
      if (filter.check !== undefined) checks = checks.where('dataset_checks.check', '=', filter.check);
      if (filter.checkStatus !== undefined) checks = checks.where('dataset_checks.status', '=', filter.checkStatus);
      return checks;
    });
  }
  return q;
}

/** Missing reports and instances per agent, for sort=missing (agent_instances: one row per instance). */
function perAgentInstances(db: Db) {
  const missing = sql<number>`CASE WHEN min_seq IS NULL OR max_seq IS NULL OR max_seq - min_seq + 1 - seq_reports < 0 THEN 0 ELSE max_seq - min_seq + 1 - seq_reports END`;
  return db
    .selectFrom('agent_instances')
    .select((eb) => ['agent_id', eb.fn.sum<number>(missing).as('missing'), eb.fn.countAll<number>().as('instances')])
    .groupBy('agent_id')
    .as('inst');
}

export async function agentsPage(db: Db, query: AgentQuery, liveness: Liveness): Promise<AgentsPage> {
  const cutoff = silentBefore(liveness);
  const limit = Math.min(MAX_AGENTS_PAGE, Math.max(1, Math.trunc(query.limit)));
  const offset = Math.max(0, Math.trunc(query.offset ?? 0));
  const dir = query.descending ? 'desc' : 'asc';
  const flip = query.descending ? 'asc' : 'desc';
  const countQuery = filtered(db.selectFrom('agents'), query, cutoff).select((eb) => eb.fn.countAll<number>().as('n'));
  let rowsQuery = filtered(db.selectFrom('agents'), query, cutoff).select(SUMMARY_COLUMNS);
  if (query.after !== undefined) rowsQuery = rowsQuery.where('agents.agent_id', '>', query.after);
  switch (query.sort ?? 'status') {
    case 'name':
      rowsQuery = rowsQuery.orderBy('agents.agent_id', dir);
      break;
    case 'lastReport':
      // Oldest first: the agents that stopped reporting come up.
      rowsQuery = rowsQuery.orderBy('agents.last_received_at', dir).orderBy('agents.agent_id', dir);
      break;
    case 'missing':
      rowsQuery = rowsQuery
        .leftJoin(perAgentInstances(db), 'inst.agent_id', 'agents.agent_id')
        .orderBy(sql`COALESCE(inst.missing, 0)`, flip)
        .orderBy(sql`COALESCE(inst.instances, 0)`, flip)
        .orderBy('agents.agent_id', dir);
      break;
    default:
      rowsQuery = rowsQuery.orderBy(standing(cutoff), flip).orderBy('agents.agent_id', dir);
  }
  const [counted, rows] = await Promise.all([
    countQuery.executeTakeFirstOrThrow(),
    rowsQuery
      .limit(limit + 1)
      .offset(offset)
      .execute(),
  ]);
  return {
    agents: await summaries(db, rows.slice(0, limit), liveness),
    matched: Number(counted.n),
    more: rows.length > limit,
  };
}

const noVerdicts = (): VerdictCounts => ({ compliant: 0, atRisk: 0, nonCompliant: 0, unknown: 0 });
const KEYS = {
  compliant: 'compliant',
  'at-risk': 'atRisk',
  'non-compliant': 'nonCompliant',
  unknown: 'unknown',
} as const;

/** The agents by standing (one aggregate over the agents' rows): what the fleet page shows. */
export async function agentCounts(db: Db, liveness: Liveness): Promise<AgentCounts> {
  const cutoff = silentBefore(liveness);
  const standings = db.selectFrom('agents').select(standing(cutoff).as('standing')).as('s');
  const rows = await db
    .selectFrom(standings)
    .select(['s.standing', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('s.standing')
    .execute();
  const byStatus = { ...noVerdicts(), silent: 0 };
  let total = 0;
  for (const row of rows) {
    const n = Number(row.n);
    total += n;
    if (Number(row.standing) === SILENT_RANK) byStatus.silent += n;
    else byStatus[KEYS[verdictOfRank(Number(row.standing))]] += n;
  }
  return { agents: total, byStatus, compliance: complianceOf(byStatus) };
}

export async function fleetCounts(db: Db, liveness: Liveness): Promise<FleetCounts> {
  const [agents, datasets] = await Promise.all([
    agentCounts(db, liveness),
    db
      .selectFrom('datasets')
      .select(['verdict', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('verdict')
      .execute(),
  ]);
  const datasetCounts = noVerdicts();
  for (const row of datasets) {
    const key = KEYS[row.verdict as keyof typeof KEYS] ?? 'unknown';
    datasetCounts[key] += Number(row.n);
  }
  return { ...agents, datasets: datasetCounts };
}
