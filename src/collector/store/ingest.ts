// Storing one received report. Idempotency rests on the unique reportId and an insert-or-nothing
// (never a read-then-write), so collectors on one PostgreSQL agree without talking: the first insert
// wins, every other sees its row and compares body hashes. Locks are taken in one order (the report,
// agent row, instance row, datasets by id, their checks) so concurrent ingests cannot deadlock.
// SQLite commits several reports at once (ingest-batch.ts); PostgreSQL stores each report in one
// call of a function doing the same statements (ingest-postgres.ts, migration 0003).
import type { Kysely } from 'kysely';
import type { SummaryReport } from '../../report-schema/types.js';
import { bodyHash } from './body.js';
import { ingestBatcher } from './ingest-batch.js';
import { type Facts, updateDatasets } from './ingest-datasets.js';
import { type IngestItem, REPORT_COLUMNS, reportValues } from './ingest-item.js';
import { postgresIngest } from './ingest-postgres.js';
import { type Backend, columns, placeholders, type Run } from './ingest-sql.js';
import { toIso } from './rows.js';
import type { CollectorDatabase } from './tables.js';
import type { IngestContext, IngestOutcome, ReceivedBody } from './types.js';

export type Ingest = (
  report: SummaryReport,
  body: ReceivedBody,
  context: IngestContext,
) => Promise<{ outcome: IngestOutcome }>;

/** `autocommit`: PostgreSQL's ingest is one statement, its own transaction. */
export function ingester(db: Kysely<CollectorDatabase>, backend: Backend, autocommit: Run): Ingest {
  const item = (report: SummaryReport, body: ReceivedBody, context: IngestContext): IngestItem => ({
    report,
    body,
    hash: bodyHash(body.canonical),
    facts: reportFacts(report, context.receivedAt),
    tokenId: context.tokenId,
  });
  if (backend === 'sqlite') {
    const batcher = ingestBatcher(db, ingestOne);
    return async (report, body, context) => ({ outcome: await batcher(item(report, body, context)) });
  }
  const ingestCall = postgresIngest(autocommit);
  return async (report, body, context) => ({ outcome: await ingestCall(item(report, body, context)) });
}

const INSERT_REPORT = `insert into "reports" (${columns(REPORT_COLUMNS)}) values (${placeholders(REPORT_COLUMNS.length)})
 on conflict ("report_id") do nothing returning "id"`;

const STORED_HASH = `select "body_hash" from "reports" where "report_id" = ?`;

/** The report's row, then (when it is new) its agent's, instance's and datasets' latest state. */
export async function ingestOne(run: Run, item: IngestItem): Promise<IngestOutcome> {
  const { report, hash, facts } = item;
  const inserted = await run(INSERT_REPORT, reportValues(item));
  if (inserted.length === 0) {
    // SQLite's writer holds the database, so the row is there; on PostgreSQL (the release before's way,
    // and the function of migration 0003 alike) the insert waited for a concurrent writer to commit.
    const [stored] = await run(STORED_HASH, [report.reportId]);
    if (!stored) throw new Error(`report ${report.reportId} conflicted on insert but is not stored`);
    return stored.body_hash === hash ? 'duplicate' : 'conflict';
  }
  const latest = await updateAgent(run, report, facts);
  await updateInstance(run, report, facts);
  await updateDatasets(run, report, facts, latest);
  return 'stored';
}

function reportFacts(report: SummaryReport, receivedAt: Date): Facts {
  return {
    agentId: report.agent.id,
    instanceId: report.agent.instanceId,
    finishedAt: toIso(report.finishedAt),
    receivedAt: receivedAt.toISOString(),
  };
}

/** The agent's latest report's columns: replaced together, only by a report that finished later. */
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
] as const;

/** The row's report finished before this one (ties: its reportId sorts before this one). */
const AGENT_OLDER = `("agents"."finished_at" < excluded."finished_at" or ("agents"."finished_at" = excluded."finished_at" and "agents"."report_id" < excluded."report_id"))`;

// Every right-hand side reads the row as it was before this update (SQLite and PostgreSQL alike), so
// the test of report_id and finished_at holds for each column though both are set in the same statement.
const UPSERT_AGENT = `insert into "agents" (${columns(['agent_id', 'first_seen_at', 'last_received_at', ...LATEST_COLUMNS])})
 values (${placeholders(3 + LATEST_COLUMNS.length)})
 on conflict ("agent_id") do update set
 "last_received_at" = case when "agents"."last_received_at" < excluded."last_received_at" then excluded."last_received_at" else "agents"."last_received_at" end,
 ${LATEST_COLUMNS.map((c) => `"${c}" = case when ${AGENT_OLDER} then excluded."${c}" else "agents"."${c}" end`).join(',\n ')}
 returning "report_id"`;

/**
 * The agent's row, in one upsert: last received always moves forward; its latest report changes
 * only for a report that finished later (ties: the greater reportId), so a late older report never
 * hides a newer one. The upsert locks the row: ingests of one agent take their turn from here on.
 * Returns whether this report is now the agent's latest.
 */
async function updateAgent(run: Run, report: SummaryReport, facts: Facts): Promise<boolean> {
  const [row] = await run(UPSERT_AGENT, [
    facts.agentId,
    facts.receivedAt,
    facts.receivedAt,
    facts.instanceId,
    report.agent.host.hostname,
    JSON.stringify(report.agent.host),
    report.product.version,
    report.reportId,
    report.seq,
    report.trigger,
    facts.finishedAt,
    report.nextRunAt === null ? null : toIso(report.nextRunAt),
    report.summary.verdict,
  ]);
  // reportIds are unique (this one's row was just inserted), so the row names this report only if it won.
  return row?.report_id === report.reportId;
}

/** The column moved to this report's value when the row's is before (<) or after (>) it. */
const movedTo = (column: string, than: '<' | '>') =>
  `"${column}" = case when "agent_instances"."${column}" ${than} excluded."${column}" then excluded."${column}" else "agent_instances"."${column}" end`;
/** The seq bound, moved to this report's seq when it is unset or the seq lies beyond it (a null seq moves nothing). */
const widened = (column: string, beyond: '<' | '>') =>
  `"${column}" = case when excluded."${column}" is null then "agent_instances"."${column}"
   when "agent_instances"."${column}" is null or "agent_instances"."${column}" ${beyond} excluded."${column}" then excluded."${column}"
   else "agent_instances"."${column}" end`;

const INSTANCE_COLUMNS = [
  'agent_id',
  'instance_id',
  'first_seen_at',
  'last_received_at',
  'first_finished_at',
  'min_seq',
  'max_seq',
  'seq_reports',
] as const;

const UPSERT_INSTANCE = `insert into "agent_instances" (${columns(INSTANCE_COLUMNS)}) values (${placeholders(INSTANCE_COLUMNS.length)})
 on conflict ("agent_id", "instance_id") do update set
 "seq_reports" = "agent_instances"."seq_reports" + excluded."seq_reports",
 ${widened('min_seq', '>')},
 ${widened('max_seq', '<')},
 ${movedTo('last_received_at', '<')},
 ${movedTo('first_finished_at', '>')}`;

/** The instance's seq range and count: a reinstall is a new instance, whose seq starts again at 1. */
async function updateInstance(run: Run, report: SummaryReport, facts: Facts): Promise<void> {
  const seq = report.seq;
  await run(UPSERT_INSTANCE, [
    facts.agentId,
    facts.instanceId,
    facts.receivedAt,
    facts.receivedAt,
    facts.finishedAt,
    seq,
    seq,
    seq === null ? 0 : 1,
  ]);
}
