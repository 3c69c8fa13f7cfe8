// What the collector keeps of its agents' summary reports, whatever the back end (SQLite or PostgreSQL).
import type { SummaryReport } from '../../report-schema/types.js';

export type Verdict = 'compliant' | 'at-risk' | 'non-compliant' | 'unknown';
/** An agent's standing in the fleet: silent when nothing came for too long, else its worst dataset verdict. */
export type AgentStatus = Verdict | 'silent';
export type TokenKind = 'agent' | 'reader';

/** stored → 201; duplicate (the same id with the same body) → 200; conflict (another body) → 409, nothing written. */
export type IngestOutcome = 'stored' | 'duplicate' | 'conflict';

export interface ReceivedBody {
  /** The canonical JSON of the parsed report (body.ts): whitespace, key order and gzip do not make another body. */
  canonical: string;
  /** The bytes the request carried, for the figures. */
  bytes: number;
}

export interface IngestContext {
  receivedAt: Date;
  /** The token the report came with (its public id), kept beside the report. */
  tokenId: string | null;
}

export interface Liveness {
  now: Date;
  silentAfterMs: number;
}

export interface AgentSummary {
  id: string;
  instanceId: string;
  hostName: string;
  productVersion: string;
  firstSeenAt: string;
  lastReceivedAt: string;
  /** The latest report by finishedAt (a late older report does not replace it). */
  lastReportId: string;
  lastSeq: number | null;
  lastFinishedAt: string;
  nextRunAt: string | null;
  trigger: string;
  /** The worst verdict over the agent's latest datasets; unknown when it reported none. */
  verdict: Verdict;
  silent: boolean;
  status: AgentStatus;
  /** Instances seen (a reinstall starts a new one): reinstalls = instanceCount − 1. */
  instanceCount: number;
  reinstalls: number;
  /** Reports missing inside each instance's seq range, summed (gaps() gives the ranges). */
  missingReports: number;
}

export interface InstanceState {
  instanceId: string;
  firstSeenAt: string;
  lastReceivedAt: string;
  firstFinishedAt: string;
  minSeq: number | null;
  maxSeq: number | null;
  missingReports: number;
}

/** "N reports missing, seq a–b" of one instance. */
export interface SeqGap {
  instanceId: string;
  firstSeq: number;
  lastSeq: number;
  missing: number;
  /** The agent said (its report's delivery) that its outbox dropped the whole range unsent. */
  droppedByAgent: boolean;
}

export interface CheckState {
  check: string;
  status: string;
  reason: string;
  message: string;
}

export interface DatasetState {
  agentId: string;
  datasetId: string;
  verdict: Verdict;
  counts: SummaryReport['datasets'][number]['counts'];
  checks: CheckState[];
  newestCopyAt: string | null;
  restoreEstimateMs: number | null;
  rtoMs: number;
  reportId: string;
  finishedAt: string;
}

/** What the fleet table shows of a dataset: its verdict and its checks. */
export type DatasetChecks = Pick<DatasetState, 'agentId' | 'datasetId' | 'verdict' | 'checks'>;

export interface AgentDetail extends AgentSummary {
  host: SummaryReport['agent']['host'];
  instances: InstanceState[];
  gaps: SeqGap[];
  datasets: DatasetState[];
}

export interface ReportMeta {
  reportId: string;
  agentId: string;
  instanceId: string;
  seq: number | null;
  trigger: string;
  startedAt: string;
  finishedAt: string;
  receivedAt: string;
  verdict: Verdict;
  bytes: number;
}

export interface StoredReport extends ReportMeta {
  body: SummaryReport;
}

export interface ReportsPage {
  /** Newest first by finishedAt. */
  reports: ReportMeta[];
  /** The cursor for the next (older) page, or null at the end: pass it as `before`. */
  next: string | null;
}

export interface VerdictPoint {
  reportId: string;
  seq: number | null;
  finishedAt: string;
  verdict: Verdict;
  trigger: string;
}

export interface VerdictCounts {
  compliant: number;
  atRisk: number;
  nonCompliant: number;
  unknown: number;
}

/** The fleet's agents by standing, without the datasets' counts (the fleet page's). */
export type AgentCounts = Omit<FleetCounts, 'datasets'>;

export interface FleetCounts {
  agents: number;
  /** Each agent once: silent when nothing came for silentAfterMs, else by its worst dataset verdict. */
  byStatus: VerdictCounts & { silent: number };
  /** The compliance totals: a silent agent is non-compliant (nonCompliant = byStatus.nonCompliant + byStatus.silent). */
  compliance: VerdictCounts;
  /** Every agent's latest datasets, by verdict. */
  datasets: VerdictCounts;
}

export interface PruneResult {
  deleted: number;
  batches: number;
}

export interface TokenInfo {
  id: string;
  kind: TokenKind;
  subject: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface FoundToken {
  id: string;
  kind: TokenKind;
  subject: string;
  revoked: boolean;
}

export interface DatasetFilter {
  verdict?: Verdict;
  agentId?: string;
  /** Any of these agents (a page's agents in one query). */
  agentIds?: readonly string[];
  /** One dataset id across the fleet. */
  datasetId?: string;
  /** With status: datasets whose latest finding of this check has this status. */
  check?: string;
  status?: string;
}

export type AgentSort = 'status' | 'name' | 'lastReport' | 'missing';

/** The fleet's agents as a page: filtered, sorted and counted by the database, not in memory. */
export interface AgentQuery {
  /** The agent's worst dataset verdict (silent or not; unknown when it reported no dataset). */
  verdict?: Verdict;
  /** Agents with a dataset whose latest finding of this check (and/or with this status) matches. */
  check?: string;
  checkStatus?: string;
  /** Part of the agent's id or host name, any case (ASCII case in SQLite). */
  name?: string;
  /** true: only the silent agents; false: only those heard from within silentAfterMs; absent: both. */
  silent?: boolean;
  /**
   * status: worst first (silent, non-compliant, unknown, at-risk, compliant), then by id; name: by id;
   * lastReport: longest quiet first; missing: most reports missing, then most reinstalls. Ties by id.
   * descending reverses the whole order.
   */
  sort?: AgentSort;
  descending?: boolean;
  limit: number;
  offset?: number;
  /** With sort name (ascending): agents whose id sorts after this one (keyset, to read the whole fleet in pages). */
  after?: string;
}

export interface AgentsPage {
  agents: AgentSummary[];
  /** Agents matching the filters, over all pages. */
  matched: number;
  /** Whether more agents follow this page in its order (one row more was read to know). */
  more: boolean;
}

/** Where a dataset sorts: by agent id, then dataset id. */
export interface DatasetKey {
  agentId: string;
  datasetId: string;
}

export interface DatasetPageRequest {
  limit: number;
  offset?: number;
  /** The datasets after this one (keyset, to read them all in pages while agents report). */
  after?: DatasetKey;
}

export interface DatasetRows {
  datasets: DatasetState[];
  /** Whether more datasets follow this page (one row more was read to know). */
  more: boolean;
}

export interface DatasetsPage extends DatasetRows {
  /** Datasets matching the filter, over all pages. */
  matched: number;
}

export interface CollectorStore {
  readonly backend: 'sqlite' | 'postgres';
  /**
   * One transaction: the report row (unique reportId; insert-or-nothing, then the stored body hash
   * decides duplicate or conflict) and the latest state of its agent, instance and datasets.
   */
  ingest(report: SummaryReport, body: ReceivedBody, context: IngestContext): Promise<{ outcome: IngestOutcome }>;
  agents(liveness: Liveness): Promise<AgentSummary[]>;
  /** One page of the agents the query keeps, and how many it keeps in all. */
  agentsPage(query: AgentQuery, liveness: Liveness): Promise<AgentsPage>;
  agent(id: string, liveness: Liveness): Promise<AgentDetail | null>;
  reports(agentId: string, page: { limit: number; before?: string | null }): Promise<ReportsPage>;
  report(reportId: string): Promise<StoredReport | null>;
  datasets(filter: DatasetFilter): Promise<DatasetState[]>;
  /** These agents' latest datasets with only their verdict and checks (by agent, then dataset id): the fleet page's. */
  datasetChecks(agentIds: readonly string[]): Promise<DatasetChecks[]>;
  /** One page of the datasets the filter keeps (by agent, then dataset id), and how many it keeps in all. */
  datasetsPage(filter: DatasetFilter, page: { limit: number; offset?: number }): Promise<DatasetsPage>;
  /** A page of the datasets the filter keeps after a key (by agent, then dataset id), not counted. */
  datasetsAfter(filter: DatasetFilter, page: DatasetPageRequest): Promise<DatasetRows>;
  fleet(liveness: Liveness): Promise<FleetCounts>;
  /** fleet() without the datasets' counts: one aggregate over the agents. */
  agentCounts(liveness: Liveness): Promise<AgentCounts>;
  gaps(agentId: string): Promise<SeqGap[]>;
  verdictHistory(agentId: string, since: Date): Promise<VerdictPoint[]>;
  /** Deletes reports received before olderThan, `batch` rows a transaction; never a latest state's report. */
  prune(olderThan: Date, options?: { batch?: number }): Promise<PruneResult>;
  createToken(request: { kind: TokenKind; subject: string }): Promise<{ id: string; token: string }>;
  listTokens(): Promise<TokenInfo[]>;
  revokeToken(which: { id: string } | { agent: string }): Promise<{ revoked: number }>;
  findToken(token: string): Promise<FoundToken | null>;
  close(): Promise<void>;
}
