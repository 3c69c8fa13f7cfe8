// The fleet as the latest state gives it: agents, their instances and silence, and the fleet's counts.
// Every query here reads the latest-state tables (agents, agent_instances, datasets), never the history.
import type { ExpressionBuilder, Kysely } from 'kysely';
import { iso, isoOrNull, missingIn, verdictOfRank } from './rows.js';
import type { CollectorDatabase } from './tables.js';
import type { AgentSummary, FleetCounts, InstanceState, Liveness, VerdictCounts } from './types.js';

type Db = Kysely<CollectorDatabase>;

/** The agent's worst dataset verdict, as its rank (null when it reported no dataset). */
function worstRank(eb: ExpressionBuilder<CollectorDatabase, 'agents'>) {
  return eb
    .selectFrom('datasets')
    .select((sub) => sub.fn.max('datasets.verdict_rank').as('rank'))
    .whereRef('datasets.agent_id', '=', 'agents.agent_id')
    .as('worst_rank');
}

function agentRows(db: Db, agentId?: string) {
  let query = db.selectFrom('agents').selectAll('agents').select(worstRank).orderBy('agents.agent_id');
  if (agentId !== undefined) query = query.where('agents.agent_id', '=', agentId);
  return query.execute();
}

export async function instancesOf(db: Db, agentId?: string): Promise<Map<string, InstanceState[]>> {
  let query = db.selectFrom('agent_instances').selectAll().orderBy('agent_id').orderBy('first_finished_at');
  if (agentId !== undefined) query = query.where('agent_id', '=', agentId);
  const byAgent = new Map<string, InstanceState[]>();
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

/** Silent: nothing received for longer than silentAfterMs before `now`. */
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

export async function listAgents(db: Db, liveness: Liveness, agentId?: string): Promise<AgentSummary[]> {
  const [rows, instances] = await Promise.all([agentRows(db, agentId), instancesOf(db, agentId)]);
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

const noVerdicts = (): VerdictCounts => ({ compliant: 0, atRisk: 0, nonCompliant: 0, unknown: 0 });
const KEYS = {
  compliant: 'compliant',
  'at-risk': 'atRisk',
  'non-compliant': 'nonCompliant',
  unknown: 'unknown',
} as const;

export async function fleetCounts(db: Db, liveness: Liveness): Promise<FleetCounts> {
  const [agents, datasets] = await Promise.all([
    db.selectFrom('agents').select('last_received_at').select(worstRank).execute(),
    db
      .selectFrom('datasets')
      .select(['verdict_rank', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('verdict_rank')
      .execute(),
  ]);
  const byStatus = { ...noVerdicts(), silent: 0 };
  for (const agent of agents) {
    if (isSilent(iso(agent.last_received_at), liveness)) byStatus.silent += 1;
    else byStatus[KEYS[verdictOfRank(agent.worst_rank === null ? null : Number(agent.worst_rank))]] += 1;
  }
  const datasetCounts = noVerdicts();
  for (const row of datasets) datasetCounts[KEYS[verdictOfRank(row.verdict_rank)]] += Number(row.n);
  return {
    agents: agents.length,
    byStatus,
    compliance: complianceOf(byStatus),
    datasets: datasetCounts,
  };
}
