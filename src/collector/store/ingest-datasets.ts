// A stored report's datasets: each one's latest state and check statuses, replaced only by a report
// that finished later. Rows are written in dataset-id order, as every writer of them does.
import type { Transaction } from 'kysely';
import type { SummaryReport } from '../../report-schema/types.js';
import { toIso, VERDICT_RANK } from './rows.js';
import type { CollectorDatabase } from './tables.js';
import type { Verdict } from './types.js';

type Trx = Transaction<CollectorDatabase>;

/** What ingest works out of a report once: whose it is and its times, as stored. */
export interface Facts {
  agentId: string;
  instanceId: string;
  finishedAt: string;
  receivedAt: string;
}
type SummaryDataset = SummaryReport['datasets'][number];

/** Rows per multi-row insert: far below SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 200;

/**
 * Each dataset's latest state, replaced only by a report that finished later (a watch run judges a
 * few datasets: the others keep theirs). A full run that became the agent's latest also drops the
 * datasets it no longer has (taken out of the config).
 */
export async function updateDatasets(
  trx: Trx,
  report: SummaryReport,
  facts: Facts,
  agentLatest: boolean,
): Promise<void> {
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
  await updateWorstRank(trx, facts.agentId);
}

/** The agent's worst dataset verdict, kept on its row (already locked by ingest) for the fleet's queries. */
async function updateWorstRank(trx: Trx, agentId: string): Promise<void> {
  await trx
    .updateTable('agents')
    .set((eb) => ({
      worst_rank: eb
        .selectFrom('datasets')
        .select((sub) => sub.fn.max('datasets.verdict_rank').as('rank'))
        .where('datasets.agent_id', '=', agentId),
    }))
    .where('agent_id', '=', agentId)
    .execute();
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
