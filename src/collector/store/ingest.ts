// Storing one received report, in one transaction. Idempotency rests on the unique reportId and an
// insert-or-nothing (never a read-then-write), so collectors on one PostgreSQL agree without talking:
// the first insert wins, every other sees its row and compares body hashes. Locks are taken in one
// order (agent row, instance row, datasets by id, their checks) so concurrent ingests cannot deadlock.
import type { ExpressionBuilder, Kysely, OnConflictDatabase, OnConflictTables, Transaction } from 'kysely';
import type { SummaryReport } from '../../report-schema/types.js';
import { bodyHash } from './body.js';
import { toIso, VERDICT_RANK } from './rows.js';
import type { CollectorDatabase } from './tables.js';
import type { IngestContext, IngestOutcome, ReceivedBody, Verdict } from './types.js';

type Trx = Transaction<CollectorDatabase>;
type SummaryDataset = SummaryReport['datasets'][number];

/** Rows per multi-row insert: far below SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 200;

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

interface Facts {
  agentId: string;
  instanceId: string;
  finishedAt: string;
  receivedAt: string;
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

/**
 * Each dataset's latest state, replaced only by a report that finished later (a watch run judges a
 * few datasets: the others keep theirs). A full run that became the agent's latest also drops the
 * datasets it no longer has (taken out of the config).
 */
async function updateDatasets(trx: Trx, report: SummaryReport, facts: Facts, agentLatest: boolean): Promise<void> {
  const datasets = [...new Map(report.datasets.map((d) => [d.id, d])).values()].sort((a, b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const written: SummaryDataset[] = [];
  for (let i = 0; i < datasets.length; i += ROWS_PER_INSERT) {
    const chunk = datasets.slice(i, i + ROWS_PER_INSERT);
    const rows = await trx
      .insertInto('datasets')
      .values(chunk.map((dataset) => datasetRow(dataset, report, facts)))
      .onConflict((oc) =>
        oc
          .columns(['agent_id', 'dataset_id'])
          .doUpdateSet((eb) => ({
            verdict: eb.ref('excluded.verdict'),
            verdict_rank: eb.ref('excluded.verdict_rank'),
            counts: eb.ref('excluded.counts'),
            checks: eb.ref('excluded.checks'),
            newest_copy_at: eb.ref('excluded.newest_copy_at'),
            restore_estimate_ms: eb.ref('excluded.restore_estimate_ms'),
            rto_ms: eb.ref('excluded.rto_ms'),
            report_id: eb.ref('excluded.report_id'),
            finished_at: eb.ref('excluded.finished_at'),
          }))
          .where((eb) =>
            eb.or([
              eb('datasets.finished_at', '<', eb.ref('excluded.finished_at')),
              eb.and([
                eb('datasets.finished_at', '=', eb.ref('excluded.finished_at')),
                eb('datasets.report_id', '<', eb.ref('excluded.report_id')),
              ]),
            ]),
          ),
      )
      .returning('dataset_id')
      .execute();
    const ids = new Set(rows.map((row) => row.dataset_id));
    written.push(...chunk.filter((dataset) => ids.has(dataset.id)));
  }
  await replaceChecks(trx, facts.agentId, written);
  if (agentLatest && report.run.datasetsSelected === null) {
    let gone = trx
      .deleteFrom('datasets')
      .where('agent_id', '=', facts.agentId)
      .where('finished_at', '<', facts.finishedAt);
    if (datasets.length > 0)
      gone = gone.where(
        'dataset_id',
        'not in',
        datasets.map((d) => d.id),
      );
    await gone.execute();
  }
}

function datasetRow(dataset: SummaryDataset, report: SummaryReport, facts: Facts) {
  return {
    agent_id: facts.agentId,
    dataset_id: dataset.id,
    verdict: dataset.verdict,
    verdict_rank: VERDICT_RANK[dataset.verdict as Verdict],
    counts: JSON.stringify(dataset.counts),
    checks: JSON.stringify(
      dataset.findings.map((f) => ({ check: f.check, status: f.status, reason: f.reason, message: f.message })),
    ),
    newest_copy_at: dataset.newestCopyAt === null ? null : toIso(dataset.newestCopyAt),
    restore_estimate_ms: dataset.restoreEstimateMs,
    rto_ms: dataset.rtoMs,
    report_id: report.reportId,
    finished_at: facts.finishedAt,
  };
}

async function replaceChecks(trx: Trx, agentId: string, datasets: SummaryDataset[]): Promise<void> {
  for (let i = 0; i < datasets.length; i += ROWS_PER_INSERT) {
    const chunk = datasets.slice(i, i + ROWS_PER_INSERT);
    await trx
      .deleteFrom('dataset_checks')
      .where('agent_id', '=', agentId)
      .where(
        'dataset_id',
        'in',
        chunk.map((d) => d.id),
      )
      .execute();
    // One row a check: when a dataset names a check twice, its last finding stands.
    const rows = chunk.flatMap((dataset) =>
      [...new Map(dataset.findings.map((f) => [f.check, f.status])).entries()].map(([check, status]) => ({
        agent_id: agentId,
        dataset_id: dataset.id,
        check,
        status,
      })),
    );
    for (let j = 0; j < rows.length; j += ROWS_PER_INSERT) {
      await trx
        .insertInto('dataset_checks')
        .values(rows.slice(j, j + ROWS_PER_INSERT))
        .execute();
    }
  }
}
