// The latest state of every agent's datasets, filtered by verdict, agent, or a check's status.
import type { Kysely } from 'kysely';
import { fromJson, iso, isoOrNull } from './rows.js';
import type { CollectorDatabase } from './tables.js';
import type { CheckState, DatasetFilter, DatasetState, Verdict } from './types.js';

export async function latestDatasets(db: Kysely<CollectorDatabase>, filter: DatasetFilter): Promise<DatasetState[]> {
  let query = db.selectFrom('datasets').selectAll().orderBy('agent_id').orderBy('dataset_id');
  if (filter.verdict !== undefined) query = query.where('verdict', '=', filter.verdict);
  if (filter.agentId !== undefined) query = query.where('agent_id', '=', filter.agentId);
  if (filter.check !== undefined || filter.status !== undefined) {
    query = query.where((eb) => {
      let checks = eb
        .selectFrom('dataset_checks')
        .select('dataset_checks.check')
        .whereRef('dataset_checks.agent_id', '=', 'datasets.agent_id')
        .whereRef('dataset_checks.dataset_id', '=', 'datasets.dataset_id');
      if (filter.check !== undefined) checks = checks.where('dataset_checks.check', '=', filter.check);
      if (filter.status !== undefined) checks = checks.where('dataset_checks.status', '=', filter.status);
      return eb.exists(checks);
    });
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    agentId: row.agent_id,
    datasetId: row.dataset_id,
    verdict: row.verdict as Verdict,
    counts: fromJson<DatasetState['counts']>(row.counts),
    checks: fromJson<CheckState[]>(row.checks),
    newestCopyAt: isoOrNull(row.newest_copy_at),
    restoreEstimateMs: row.restore_estimate_ms,
    rtoMs: row.rto_ms,
    reportId: row.report_id,
    finishedAt: iso(row.finished_at),
  }));
}
