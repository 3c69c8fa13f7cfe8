// The collector's tables as Kysely sees them: one description for both back ends. Times are
// timestamptz in PostgreSQL (read back as Date) and ISO-8601 UTC text in SQLite (read back as the
// string); JSON is jsonb in PostgreSQL (read back parsed) and text in SQLite. rows.ts reads both forms.
import type { ColumnType, Generated } from 'kysely';

/** Written as `Date.toISOString()`: ordered as text in SQLite, a timestamptz in PostgreSQL. */
export type Timestamp = ColumnType<Date | string, string, Date | string>;
/** Written as JSON text; PostgreSQL gives it back parsed, SQLite as the text. */
export type Json = ColumnType<unknown, string, string>;

export interface ReportsTable {
  id: Generated<number>;
  report_id: string;
  agent_id: string;
  instance_id: string;
  seq: number | null;
  trigger: string;
  started_at: Timestamp;
  finished_at: Timestamp;
  received_at: Timestamp;
  /** The report's own summary verdict (of the datasets it judged). */
  verdict: string;
  /** sha256 hex of the canonical body: what "the same report" means. */
  body_hash: string;
  /** The bytes the request carried (after gzip), for the operator's figures. */
  body_bytes: number;
  body: Json;
  token_id: string | null;
  /** The seq range the agent's outbox says it dropped unsent (delivery), to explain a gap. */
  dropped_first_seq: number | null;
  dropped_last_seq: number | null;
}

/** Per agent: when anything was last received, and what its latest report (by finishedAt) said. */
export interface AgentsTable {
  agent_id: string;
  first_seen_at: Timestamp;
  last_received_at: Timestamp;
  instance_id: string;
  host_name: string;
  host: Json;
  product_version: string;
  report_id: string;
  seq: number | null;
  trigger: string;
  finished_at: Timestamp;
  next_run_at: Timestamp | null;
  verdict: string;
  /**
   * The worst verdict_rank over the agent's latest datasets (null: none), kept by ingest beside the
   * datasets it writes, so the fleet page filters, sorts and counts agents without reading datasets.
   */
  worst_rank: Generated<number | null>;
}

/** Per agent and instance (a reinstall is a new instance): its seq range, to count missing reports. */
export interface AgentInstancesTable {
  agent_id: string;
  instance_id: string;
  first_seen_at: Timestamp;
  last_received_at: Timestamp;
  first_finished_at: Timestamp;
  min_seq: number | null;
  max_seq: number | null;
  /** Reports of this instance that carry a seq. */
  seq_reports: number;
}

/** Per agent and dataset: the latest judgement (by the report's finishedAt). */
export interface DatasetsTable {
  agent_id: string;
  dataset_id: string;
  verdict: string;
  /** non-compliant 3, unknown 2, at-risk 1, compliant 0: the worst wins (as `verify` ranks them). */
  verdict_rank: number;
  counts: Json;
  /** [{ check, status, reason, message }] of the dataset's findings. */
  checks: Json;
  newest_copy_at: Timestamp | null;
  restore_estimate_ms: number | null;
  rto_ms: number;
  report_id: string;
  finished_at: Timestamp;
}

/** Each latest dataset's check statuses again, one row a check, so filters by check and status use an index. */
export interface DatasetChecksTable {
  agent_id: string;
  dataset_id: string;
  check: string;
  status: string;
}

export interface TokensTable {
  id: string;
  kind: string;
  subject: string;
  /** sha256 hex of the whole token: the token itself is never stored. */
  hash: string;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface CollectorDatabase {
  reports: ReportsTable;
  agents: AgentsTable;
  agent_instances: AgentInstancesTable;
  datasets: DatasetsTable;
  dataset_checks: DatasetChecksTable;
  tokens: TokensTable;
}
