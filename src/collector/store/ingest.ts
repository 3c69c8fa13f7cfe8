// Storing one received report, in one transaction. Idempotency rests on the unique reportId and an
// insert-or-nothing (never a read-then-write), so collectors on one PostgreSQL agree without talking:
// the first insert wins, every other sees its row and compares body hashes. Locks are taken in one
// order (agent row, instance row, datasets by id, their checks) so concurrent ingests cannot deadlock.
import type { ExpressionBuilder, Kysely, OnConflictDatabase, OnConflictTables, Transaction } from 'kysely';
import type { SummaryReport } from '../../report-schema/types.js';
import { bodyHash } from './body.js';
import { type Facts, updateDatasets } from './ingest-datasets.js';
import { toIso } from './rows.js';
import type { CollectorDatabase } from './tables.js';
import type { IngestContext, IngestOutcome, ReceivedBody } from './types.js';

type Trx = Transaction<CollectorDatabase>;

export async function ingestReport(
  db: Kysely<CollectorDatabase>,
  report: SummaryReport,
  body: ReceivedBody,
  context: IngestContext,
): Promise<{ outcome: IngestOutcome }> {
  const hash = bodyHash(body.canonical);
  const facts = reportFacts(report, context.receivedAt);
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('reports')
      .values({
        report_id: report.reportId,
        agent_id: facts.agentId,
        instance_id: facts.instanceId,
        seq: report.seq,
        trigger: report.trigger,
        started_at: toIso(report.startedAt),
        finished_at: facts.finishedAt,
        received_at: facts.receivedAt,
        verdict: report.summary.verdict,
        body_hash: hash,
        body_bytes: body.bytes,
        body: body.canonical,
        token_id: context.tokenId,
        dropped_first_seq: report.delivery?.firstDroppedSeq ?? null,
        dropped_last_seq: report.delivery?.lastDroppedSeq ?? null,
      })
      .onConflict((oc) => oc.column('report_id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      // PostgreSQL's insert waited for a concurrent writer of this id to commit, so its row is visible here.
      const stored = await trx
        .selectFrom('reports')
        .select('body_hash')
        .where('report_id', '=', report.reportId)
        .executeTakeFirstOrThrow();
      return { outcome: stored.body_hash === hash ? 'duplicate' : 'conflict' };
    }
    const latest = await updateAgent(trx, report, facts);
    await updateInstance(trx, report, facts);
    await updateDatasets(trx, report, facts, latest);
    return { outcome: 'stored' };
  });
}

function reportFacts(report: SummaryReport, receivedAt: Date): Facts {
  return {
    agentId: report.agent.id,
    instanceId: report.agent.instanceId,
    finishedAt: toIso(report.finishedAt),
    receivedAt: receivedAt.toISOString(),
  };
}

/**
 * The agent's row: last received always moves forward; its latest report changes only for a report
 * that finished later (ties: the greater reportId), so a late older report never hides a newer one.
 * The first update always locks the row: ingests of one agent take their turn from here on.
 * Returns whether this report is now the agent's latest.
 */
async function updateAgent(trx: Trx, report: SummaryReport, facts: Facts): Promise<boolean> {
  const latest = {
    instance_id: facts.instanceId,
    host_name: report.agent.host.hostname,
    host: JSON.stringify(report.agent.host),
    product_version: report.product.version,
    report_id: report.reportId,
    seq: report.seq,
    trigger: report.trigger,
    finished_at: facts.finishedAt,
    next_run_at: report.nextRunAt === null ? null : toIso(report.nextRunAt),
    verdict: report.summary.verdict,
  };
  const created = await trx
    .insertInto('agents')
    .values({ agent_id: facts.agentId, first_seen_at: facts.receivedAt, last_received_at: facts.receivedAt, ...latest })
    .onConflict((oc) => oc.column('agent_id').doNothing())
    .returning('agent_id')
    .executeTakeFirst();
  if (created) return true;
  await trx
    .updateTable('agents')
    .set((eb) => ({
      last_received_at: eb
        .case()
        .when('last_received_at', '<', facts.receivedAt)
        .then(facts.receivedAt)
        .else(eb.ref('last_received_at'))
        .end(),
    }))
    .where('agent_id', '=', facts.agentId)
    .execute();
  const replaced = await trx
    .updateTable('agents')
    .set(latest)
    .where('agent_id', '=', facts.agentId)
    .where(olderThan(facts.finishedAt, report.reportId))
    .returning('agent_id')
    .executeTakeFirst();
  return replaced !== undefined;
}

/** The row's report finished before this one (ties: its reportId sorts before this one). */
function olderThan(finishedAt: string, reportId: string) {
  return (eb: ExpressionBuilder<CollectorDatabase, 'agents' | 'datasets'>) =>
    eb.or([
      eb('finished_at', '<', finishedAt),
      eb.and([eb('finished_at', '=', finishedAt), eb('report_id', '<', reportId)]),
    ]);
}

/** The instance's seq range and count: a reinstall is a new instance, whose seq starts again at 1. */
async function updateInstance(trx: Trx, report: SummaryReport, facts: Facts): Promise<void> {
  const seq = report.seq;
  await trx
    .insertInto('agent_instances')
    .values({
      agent_id: facts.agentId,
      instance_id: facts.instanceId,
      first_seen_at: facts.receivedAt,
      last_received_at: facts.receivedAt,
      first_finished_at: facts.finishedAt,
      min_seq: seq,
      max_seq: seq,
      seq_reports: seq === null ? 0 : 1,
    })
    .onConflict((oc) =>
      oc.columns(['agent_id', 'instance_id']).doUpdateSet((eb) => ({
        seq_reports: eb('agent_instances.seq_reports', '+', eb.ref('excluded.seq_reports')),
        min_seq: seq === null ? eb.ref('agent_instances.min_seq') : widened(eb, 'agent_instances.min_seq', '>', seq),
        max_seq: seq === null ? eb.ref('agent_instances.max_seq') : widened(eb, 'agent_instances.max_seq', '<', seq),
        last_received_at: eb
          .case()
          .when('agent_instances.last_received_at', '<', facts.receivedAt)
          .then(facts.receivedAt)
          .else(eb.ref('agent_instances.last_received_at'))
          .end(),
        first_finished_at: eb
          .case()
          .when('agent_instances.first_finished_at', '>', facts.finishedAt)
          .then(facts.finishedAt)
          .else(eb.ref('agent_instances.first_finished_at'))
          .end(),
      })),
    )
    .execute();
}

/** The seq bound, moved to `seq` when it is unset or `seq` lies beyond it. */
function widened(
  eb: ExpressionBuilder<OnConflictDatabase<CollectorDatabase, 'agent_instances'>, OnConflictTables<'agent_instances'>>,
  bound: 'agent_instances.min_seq' | 'agent_instances.max_seq',
  beyond: '>' | '<',
  seq: number,
) {
  return eb
    .case()
    .when(eb.or([eb(bound, 'is', null), eb(bound, beyond, seq)]))
    .then(seq)
    .else(eb.ref(bound))
    .end();
}
