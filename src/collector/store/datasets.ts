// The latest state of every agent's datasets, filtered by verdict, agent(s), dataset id, or a check's
// status; whole, a page at a time with the number matched (the dashboard's), or the page after a key
// uncounted (the API's: with a check filter the count alone reads every check row, 2 s at 200,000
// datasets).
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { fromJson, iso, isoOrNull } from './rows.js';
import type { CollectorDatabase } from './tables.js';
import type {
  CheckState,
  DatasetChecks,
  DatasetFilter,
  DatasetPageRequest,
  DatasetRows,
  DatasetsPage,
  DatasetState,
  Verdict,
} from './types.js';

type Db = Kysely<CollectorDatabase>;

/** The largest page datasetsPage gives. */
export const MAX_DATASETS_PAGE = 1000;

function filtered<O>(
  query: SelectQueryBuilder<CollectorDatabase, 'datasets', O>,
  filter: DatasetFilter,
): SelectQueryBuilder<CollectorDatabase, 'datasets', O> {
  let q = query;
  if (filter.verdict !== undefined) q = q.where('datasets.verdict', '=', filter.verdict);
  if (filter.agentId !== undefined) q = q.where('datasets.agent_id', '=', filter.agentId);
  if (filter.agentIds !== undefined) q = q.where('datasets.agent_id', 'in', filter.agentIds);
  if (filter.datasetId !== undefined) q = q.where('datasets.dataset_id', '=', filter.datasetId);
  if (filter.check !== undefined || filter.status !== undefined) {
    q = q.where((eb) => {
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
  return q;
}

/** An empty list of agents matches nothing (and `IN ()` is not SQL). */
const matchesNothing = (filter: DatasetFilter) => filter.agentIds !== undefined && filter.agentIds.length === 0;

function rowsOf(db: Db, filter: DatasetFilter) {
  return filtered(db.selectFrom('datasets').selectAll('datasets'), filter)
    .orderBy('datasets.agent_id')
    .orderBy('datasets.dataset_id');
}

export async function latestDatasets(db: Db, filter: DatasetFilter): Promise<DatasetState[]> {
  if (matchesNothing(filter)) return [];
  return (await rowsOf(db, filter).execute()).map(datasetState);
}

/** One page of rows, and whether more follow: one row more than the page is read to know. */
async function pageOfRows(db: Db, filter: DatasetFilter, page: DatasetPageRequest): Promise<DatasetRows> {
  const limit = Math.min(MAX_DATASETS_PAGE, Math.max(1, Math.trunc(page.limit)));
  const offset = Math.max(0, Math.trunc(page.offset ?? 0));
  let rows = rowsOf(db, filter);
  const after = page.after;
  if (after !== undefined) {
    // After the key in the primary key's order (agent_id, dataset_id), spelt so that both back ends
    // start the index range at the agent (an OR of the two cases alone scans from the first row).
    rows = rows
      .where('datasets.agent_id', '>=', after.agentId)
      .where((eb) =>
        eb.or([eb('datasets.agent_id', '>', after.agentId), eb('datasets.dataset_id', '>', after.datasetId)]),
      );
  }
  const found = await rows
    .limit(limit + 1)
    .offset(offset)
    .execute();
  return { datasets: found.slice(0, limit).map(datasetState), more: found.length > limit };
}

export async function datasetsAfter(db: Db, filter: DatasetFilter, page: DatasetPageRequest): Promise<DatasetRows> {
  if (matchesNothing(filter)) return { datasets: [], more: false };
  return pageOfRows(db, filter, page);
}

/**
 * The columns the fleet table shows, and no other: at 100 agents × 20 datasets, reading and parsing
 * the counts and the other columns too was ≈ a fifth of reading a page's datasets.
 */
export async function latestDatasetChecks(db: Db, agentIds: readonly string[]): Promise<DatasetChecks[]> {
  if (agentIds.length === 0) return [];
  const rows = await db
    .selectFrom('datasets')
    .select(['agent_id', 'dataset_id', 'verdict', 'checks'])
    .where('agent_id', 'in', agentIds)
    .orderBy('agent_id')
    .orderBy('dataset_id')
    .execute();
  return rows.map((row) => ({
    agentId: row.agent_id,
    datasetId: row.dataset_id,
    verdict: row.verdict as Verdict,
    checks: fromJson<CheckState[]>(row.checks),
  }));
}

export async function datasetsPage(
  db: Db,
  filter: DatasetFilter,
  page: { limit: number; offset?: number },
): Promise<DatasetsPage> {
  if (matchesNothing(filter)) return { datasets: [], matched: 0, more: false };
  const [counted, rows] = await Promise.all([
    filtered(db.selectFrom('datasets'), filter)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    pageOfRows(db, filter, page),
  ]);
  return { ...rows, matched: Number(counted.n) };
}

type Row = Awaited<ReturnType<ReturnType<typeof rowsOf>['execute']>>[number];

function datasetState(row: Row): DatasetState {
  return {
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
  };
}
