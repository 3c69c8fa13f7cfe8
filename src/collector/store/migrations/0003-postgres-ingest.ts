// PostgreSQL's ingest in one round trip (issue 29): the statements of ingest.ts and ingest-datasets.ts
// as one PL/pgSQL function, called as a single statement, so a report costs the collector one query
// and no BEGIN/COMMIT (the call is its own transaction). A volatile function takes a fresh snapshot
// for each statement inside it, as the transaction of separate statements did: the comparison after a
// lost insert sees the winner's row, and each update reads what the agent's row lock let through.
// And the reports' bodies compressed with lz4 where the server has it: pglz compressing each ≈ 20 KB
// body was a fifth of PostgreSQL's CPU per report; lz4 takes a fraction of that for about the same size.
// SQLite keeps the statements (ingest-batch.ts commits several reports at once there): nothing to do.
//
// A released function never changes: a later change is a new function under a new name, made by a new
// migration, so a collector of the release before, still running on the same database, keeps its own.
import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';
import type { Backend } from './column-types.js';

/** The function's name and parameters, in the order ingest-postgres.ts passes them. */
export const INGEST_FUNCTION = 'backup321_ingest_1';

/** The agent's latest report's columns, replaced together (ingest.ts, LATEST_COLUMNS). */
const LATEST_COLUMNS = [
  'instance_id',
  'host_name',
  'host',
  'product_version',
  'report_id',
  'seq',
  'trigger',
  'finished_at',
  'next_run_at',
  'verdict',
];
/** The agent's row names a report that finished before this one (ties: its reportId sorts before). */
const AGENT_OLDER =
  '(a.finished_at < excluded.finished_at or (a.finished_at = excluded.finished_at and a.report_id < excluded.report_id))';

const CREATE = sql.raw(`create function ${INGEST_FUNCTION}(
  p_report_id text, p_agent_id text, p_instance_id text, p_seq bigint, p_trigger text,
  p_started_at timestamptz, p_finished_at timestamptz, p_received_at timestamptz, p_verdict text,
  p_body_hash text, p_body_bytes bigint, p_body jsonb, p_token_id text,
  p_dropped_first_seq bigint, p_dropped_last_seq bigint,
  p_host_name text, p_host jsonb, p_product_version text, p_next_run_at timestamptz,
  p_datasets jsonb, p_checks jsonb, p_full_run boolean
) returns text language plpgsql volatile as $ingest$
declare
  stored_hash text;
  latest_report text;
  written text[];
begin
  -- The report's row; the unique reportId decides (ingest.ts, INSERT_REPORT).
  insert into reports (report_id, agent_id, instance_id, seq, trigger, started_at, finished_at, received_at,
    verdict, body_hash, body_bytes, body, token_id, dropped_first_seq, dropped_last_seq)
  values (p_report_id, p_agent_id, p_instance_id, p_seq, p_trigger, p_started_at, p_finished_at, p_received_at,
    p_verdict, p_body_hash, p_body_bytes, p_body, p_token_id, p_dropped_first_seq, p_dropped_last_seq)
  on conflict (report_id) do nothing;
  if not found then
    -- The insert waited for a concurrent writer of this id to commit; this statement's snapshot sees it.
    select r.body_hash into stored_hash from reports r where r.report_id = p_report_id;
    if not found then
      raise exception 'report % conflicted on insert but is not stored', p_report_id;
    end if;
    return case when stored_hash = p_body_hash then 'duplicate' else 'conflict' end;
  end if;

  -- The agent's row (UPSERT_AGENT): last received moves forward, the latest report only for one that
  -- finished later (ties: the greater reportId). It locks the row: ingests of one agent take turns here.
  insert into agents as a (agent_id, first_seen_at, last_received_at, instance_id, host_name, host,
    product_version, report_id, seq, trigger, finished_at, next_run_at, verdict)
  values (p_agent_id, p_received_at, p_received_at, p_instance_id, p_host_name, p_host,
    p_product_version, p_report_id, p_seq, p_trigger, p_finished_at, p_next_run_at, p_verdict)
  on conflict (agent_id) do update set
    last_received_at = case when a.last_received_at < excluded.last_received_at then excluded.last_received_at else a.last_received_at end,
    ${LATEST_COLUMNS.map((c) => `${c} = case when ${AGENT_OLDER} then excluded.${c} else a.${c} end`).join(',\n    ')}
  returning a.report_id into latest_report;

  -- The instance's seq range and count (UPSERT_INSTANCE).
  insert into agent_instances as i (agent_id, instance_id, first_seen_at, last_received_at, first_finished_at,
    min_seq, max_seq, seq_reports)
  values (p_agent_id, p_instance_id, p_received_at, p_received_at, p_finished_at, p_seq, p_seq,
    case when p_seq is null then 0 else 1 end)
  on conflict (agent_id, instance_id) do update set
    seq_reports = i.seq_reports + excluded.seq_reports,
    min_seq = case when excluded.min_seq is null then i.min_seq
      when i.min_seq is null or i.min_seq > excluded.min_seq then excluded.min_seq else i.min_seq end,
    max_seq = case when excluded.max_seq is null then i.max_seq
      when i.max_seq is null or i.max_seq < excluded.max_seq then excluded.max_seq else i.max_seq end,
    last_received_at = case when i.last_received_at < excluded.last_received_at then excluded.last_received_at else i.last_received_at end,
    first_finished_at = case when i.first_finished_at > excluded.first_finished_at then excluded.first_finished_at else i.first_finished_at end;

  -- Each dataset's state, replaced only by a report that finished later; written in the order given
  -- (by dataset id, as every writer of them does).
  with upserted as (
    insert into datasets as d (agent_id, dataset_id, verdict, verdict_rank, counts, checks, newest_copy_at,
      restore_estimate_ms, rto_ms, report_id, finished_at)
    select p_agent_id, n.dataset_id, n.verdict, n.verdict_rank, n.counts, n.checks, n.newest_copy_at,
      n.restore_estimate_ms, n.rto_ms, p_report_id, p_finished_at
    from rows from (jsonb_to_recordset(p_datasets) as (dataset_id text, verdict text, verdict_rank integer,
      counts jsonb, checks jsonb, newest_copy_at timestamptz, restore_estimate_ms double precision,
      rto_ms double precision)) with ordinality as n(dataset_id, verdict, verdict_rank, counts, checks,
      newest_copy_at, restore_estimate_ms, rto_ms, position)
    order by n.position
    on conflict (agent_id, dataset_id) do update set
      verdict = excluded.verdict, verdict_rank = excluded.verdict_rank, counts = excluded.counts,
      checks = excluded.checks, newest_copy_at = excluded.newest_copy_at,
      restore_estimate_ms = excluded.restore_estimate_ms, rto_ms = excluded.rto_ms,
      report_id = excluded.report_id, finished_at = excluded.finished_at
    where d.finished_at < excluded.finished_at
      or (d.finished_at = excluded.finished_at and d.report_id < excluded.report_id)
    returning d.dataset_id
  )
  select coalesce(array_agg(upserted.dataset_id), '{}') into written from upserted;

  -- The written datasets' checks become the report's: those it no longer names dropped, changed
  -- statuses updated, new ones added (a check whose status did not change is not written again).
  if cardinality(written) > 0 then
    delete from dataset_checks c
    where c.agent_id = p_agent_id and c.dataset_id = any(written)
      and (c.dataset_id, c."check") not in (
        select k.dataset_id, k."check" from jsonb_to_recordset(p_checks) as k(dataset_id text, "check" text));
    insert into dataset_checks as c (agent_id, dataset_id, "check", status)
    select p_agent_id, k.dataset_id, k."check", k.status
    from rows from (jsonb_to_recordset(p_checks) as (dataset_id text, "check" text, status text))
      with ordinality as k(dataset_id, "check", status, position)
    where k.dataset_id = any(written)
    order by k.position
    on conflict (agent_id, dataset_id, "check") do update set status = excluded.status
    where c.status <> excluded.status;
  end if;

  -- A full run that became the agent's latest drops the datasets it no longer has.
  if latest_report = p_report_id and p_full_run then
    delete from datasets d
    where d.agent_id = p_agent_id and d.finished_at < p_finished_at
      and d.dataset_id not in (select n.dataset_id from jsonb_to_recordset(p_datasets) as n(dataset_id text));
  end if;

  -- The agent's worst dataset verdict, on its row (locked above), for the fleet's queries.
  update agents set worst_rank = (select max(d.verdict_rank) from datasets d where d.agent_id = p_agent_id)
  where agent_id = p_agent_id;
  return 'stored';
end
$ingest$`);

/** Whether the server can compress with lz4 (PostgreSQL 14 and later, when built with it). */
async function hasLz4(db: Kysely<unknown>): Promise<boolean> {
  const { rows } = await sql<{ lz4: boolean }>`select coalesce(
    (select 'lz4' = any(enumvals) from pg_settings where name = 'default_toast_compression'), false) as lz4`.execute(
    db,
  );
  return rows[0]?.lz4 === true;
}

export function postgresIngestFunction(backend: Backend): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (backend !== 'postgres') return;
      await CREATE.execute(db);
      // Bodies written from now on; those already stored stay as they are (no table rewrite).
      if (await hasLz4(db)) await sql`alter table reports alter column body set compression lz4`.execute(db);
    },
  };
}
