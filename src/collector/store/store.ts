// The store over a connected, migrated database: the same queries for SQLite and PostgreSQL.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { SummaryReport } from '../../report-schema/types.js';
import { agentCounts, agentsPage, fleetCounts, instancesOf, listAgents } from './agents.js';
import { datasetsAfter, datasetsPage, latestDatasetChecks, latestDatasets } from './datasets.js';
import { reportsPage, seqGaps, storedReport, verdictHistory } from './history.js';
import { ingester } from './ingest.js';
import { autocommitOn, type PoolQuery } from './ingest-sql.js';
import { pruneReports } from './prune.js';
import { fromJson } from './rows.js';
import type { CollectorDatabase } from './tables.js';
import { createToken, findToken, listTokens, revokeToken } from './token-rows.js';
import type { AgentDetail, CollectorStore, Liveness } from './types.js';

export interface StoreParts {
  db: Kysely<CollectorDatabase>;
  backend: CollectorStore['backend'];
  logger: Logger;
  now: () => number;
  /** PostgreSQL: the pool's own query (ingest's call and the token lookup). */
  query?: PoolQuery;
}

export function storeOver({ db, backend, logger, now, query }: StoreParts): CollectorStore {
  const autocommit = autocommitOn(db, backend, query);
  const ingest = ingester(db, backend, autocommit);
  return {
    backend,
    ingest,
    agents: (liveness) => listAgents(db, liveness),
    agentsPage: (query, liveness) => agentsPage(db, query, liveness),
    agent: (id, liveness) => agentDetail(db, id, liveness),
    reports: (agentId, page) => reportsPage(db, agentId, page),
    report: (reportId) => storedReport(db, reportId),
    datasets: (filter) => latestDatasets(db, filter),
    datasetsPage: (filter, page) => datasetsPage(db, filter, page),
    datasetsAfter: (filter, page) => datasetsAfter(db, filter, page),
    datasetChecks: (agentIds) => latestDatasetChecks(db, agentIds),
    fleet: (liveness) => fleetCounts(db, liveness),
    agentCounts: (liveness) => agentCounts(db, liveness),
    gaps: (agentId) => seqGaps(db, agentId),
    verdictHistory: (agentId, since) => verdictHistory(db, agentId, since),
    prune: (olderThan, options) => pruneReports(db, logger, olderThan, options?.batch),
    createToken: (request) => createToken(db, now, request),
    listTokens: () => listTokens(db),
    revokeToken: (which) => revokeToken(db, now, which),
    findToken: (token) => findToken(autocommit, token),
    close: () => db.destroy(),
  };
}

async function agentDetail(db: Kysely<CollectorDatabase>, id: string, liveness: Liveness): Promise<AgentDetail | null> {
  const [summary] = await listAgents(db, liveness, id);
  if (!summary) return null;
  const [host, instances, gaps, datasets] = await Promise.all([
    db.selectFrom('agents').select('host').where('agent_id', '=', id).executeTakeFirstOrThrow(),
    instancesOf(db, id),
    seqGaps(db, id),
    latestDatasets(db, { agentId: id }),
  ]);
  return {
    ...summary,
    host: fromJson<SummaryReport['agent']['host']>(host.host),
    instances: instances.get(id) ?? [],
    gaps,
    datasets,
  };
}
