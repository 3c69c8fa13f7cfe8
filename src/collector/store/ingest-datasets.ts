// A stored report's datasets: each one's latest state and check statuses, replaced only by a report
// that finished later. Rows are written in dataset-id order, as every writer of them does.
import type { SummaryReport } from '../../report-schema/types.js';
import { columns, placeholders, type Run, valueRows } from './ingest-sql.js';
import { toIso, VERDICT_RANK } from './rows.js';
import type { Verdict } from './types.js';

/** What ingest works out of a report once: whose it is and its times, as stored. */
export interface Facts {
  agentId: string;
  instanceId: string;
  finishedAt: string;
  receivedAt: string;
}
export type SummaryDataset = SummaryReport['datasets'][number];

/** Rows per multi-row insert: far below SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 200;

const DATASET_COLUMNS = [
  'agent_id',
  'dataset_id',
  'verdict',
  'verdict_rank',
  'counts',
  'checks',
  'newest_copy_at',
  'restore_estimate_ms',
  'rto_ms',
  'report_id',
  'finished_at',
] as const;
/** Replaced by a later report: every column but the key. */
const DATASET_STATE = DATASET_COLUMNS.slice(2);

/** The statement texts by row count (a report's datasets are few and the same from run to run). */
function byCount(make: (n: number) => string): (n: number) => string {
  const made = new Map<number, string>();
  return (n) => {
    let text = made.get(n);
    if (text === undefined) {
      text = make(n);
      if (n <= ROWS_PER_INSERT) made.set(n, text);
    }
    return text;
  };
}

const upsertDatasets = byCount(
  (n) => `insert into "datasets" (${columns(DATASET_COLUMNS)}) values ${valueRows(n, DATASET_COLUMNS.length)}
 on conflict ("agent_id", "dataset_id") do update set
 ${DATASET_STATE.map((c) => `"${c}" = excluded."${c}"`).join(', ')}
 where "datasets"."finished_at" < excluded."finished_at"
  or ("datasets"."finished_at" = excluded."finished_at" and "datasets"."report_id" < excluded."report_id")
 returning "dataset_id"`,
);

const CHECK_COLUMNS = ['agent_id', 'dataset_id', 'check', 'status'] as const;
/** A check whose status did not change is not written again (most of them, run after run). */
const upsertChecks = byCount(
  (n) => `insert into "dataset_checks" (${columns(CHECK_COLUMNS)}) values ${valueRows(n, CHECK_COLUMNS.length)}
 on conflict ("agent_id", "dataset_id", "check") do update set "status" = excluded."status"
 where "dataset_checks"."status" <> excluded."status"`,
);
/** The checks of these datasets (n) that are none of these (m) dataset/check pairs: those the report no longer has. */
const deleteOtherChecks = (n: number, m: number) =>
  `delete from "dataset_checks" where "agent_id" = ? and "dataset_id" in (${placeholders(n)})${
    m > 0 ? ` and ("dataset_id", "check") not in (values ${valueRows(m, 2)})` : ''
  }`;
const deleteGone = byCount(
  (n) =>
    `delete from "datasets" where "agent_id" = ? and "finished_at" < ?${n > 0 ? ` and "dataset_id" not in (${placeholders(n)})` : ''}`,
);

/** The report's datasets, one per id (a repeated id: its last entry), in dataset-id order. */
export function reportDatasets(report: SummaryReport): SummaryDataset[] {
  return [...new Map(report.datasets.map((d) => [d.id, d])).values()].sort((a, b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
}

/** The dataset's check statuses, one a check: when a dataset names a check twice, its last finding stands. */
export function checkStatuses(dataset: SummaryDataset): [check: string, status: string][] {
  return [...new Map(dataset.findings.map((f) => [f.check, f.status])).entries()];
}

/** What the datasets' `checks` column keeps of the findings. */
function storedFindings(dataset: SummaryDataset) {
  return dataset.findings.map((f) => ({ check: f.check, status: f.status, reason: f.reason, message: f.message }));
}

/**
 * Each dataset's latest state, replaced only by a report that finished later (a watch run judges a
 * few datasets: the others keep theirs). A full run that became the agent's latest also drops the
 * datasets it no longer has (taken out of the config).
 */
export async function updateDatasets(
  run: Run,
  report: SummaryReport,
  facts: Facts,
  agentLatest: boolean,
): Promise<void> {
  const datasets = reportDatasets(report);
  const written: SummaryDataset[] = [];
  for (let i = 0; i < datasets.length; i += ROWS_PER_INSERT) {
    const chunk = datasets.slice(i, i + ROWS_PER_INSERT);
    const rows = await run(
      upsertDatasets(chunk.length),
      chunk.flatMap((dataset) => datasetRow(dataset, report, facts)),
    );
    const ids = new Set(rows.map((row) => row.dataset_id));
    written.push(...chunk.filter((dataset) => ids.has(dataset.id)));
  }
  await replaceChecks(run, facts.agentId, written);
  if (agentLatest && report.run.datasetsSelected === null) {
    await run(deleteGone(datasets.length), [facts.agentId, facts.finishedAt, ...datasets.map((d) => d.id)]);
  }
  await run(UPDATE_WORST_RANK, [facts.agentId, facts.agentId]);
}

/** The agent's worst dataset verdict, kept on its row (already locked by ingest) for the fleet's queries. */
const UPDATE_WORST_RANK = `update "agents" set "worst_rank" =
 (select max("verdict_rank") from "datasets" where "datasets"."agent_id" = ?) where "agent_id" = ?`;

/** A dataset's state as stored, but for the row's key and report (the same for every back end). */
export function datasetState(dataset: SummaryDataset) {
  return {
    dataset_id: dataset.id,
    verdict: dataset.verdict,
    verdict_rank: VERDICT_RANK[dataset.verdict as Verdict],
    counts: dataset.counts,
    checks: storedFindings(dataset),
    newest_copy_at: dataset.newestCopyAt === null ? null : toIso(dataset.newestCopyAt),
    restore_estimate_ms: dataset.restoreEstimateMs,
    rto_ms: dataset.rtoMs,
  };
}

/** The row's values in DATASET_COLUMNS order. */
function datasetRow(dataset: SummaryDataset, report: SummaryReport, facts: Facts): unknown[] {
  const state = datasetState(dataset);
  return [
    facts.agentId,
    state.dataset_id,
    state.verdict,
    state.verdict_rank,
    JSON.stringify(state.counts),
    JSON.stringify(state.checks),
    state.newest_copy_at,
    state.restore_estimate_ms,
    state.rto_ms,
    report.reportId,
    facts.finishedAt,
  ];
}

/** Check rows per statement: bounds the parameters of the delete's pair list (2 each) and of the upsert (4 each). */
const CHECK_ROWS_PER_STATEMENT = 1000;

/** Each written dataset's checks become the report's: changed statuses updated, new ones added, others dropped. */
async function replaceChecks(run: Run, agentId: string, datasets: SummaryDataset[]): Promise<void> {
  let i = 0;
  while (i < datasets.length) {
    // As many datasets as fit in one statement's check rows (always at least one).
    const chunk: SummaryDataset[] = [];
    const rows: [string, string, string, string][] = [];
    while (i < datasets.length && chunk.length < ROWS_PER_INSERT) {
      const dataset = datasets[i] as SummaryDataset;
      const own = checkStatuses(dataset).map(([check, status]): [string, string, string, string] => [
        agentId,
        dataset.id,
        check,
        status,
      ]);
      if (chunk.length > 0 && rows.length + own.length > CHECK_ROWS_PER_STATEMENT) break;
      chunk.push(dataset);
      rows.push(...own);
      i++;
    }
    await run(deleteOtherChecks(chunk.length, rows.length), [
      agentId,
      ...chunk.map((d) => d.id),
      ...rows.flatMap(([, dataset, check]) => [dataset, check]),
    ]);
    for (let j = 0; j < rows.length; j += ROWS_PER_INSERT) {
      const slice = rows.slice(j, j + ROWS_PER_INSERT);
      await run(upsertChecks(slice.length), slice.flat());
    }
  }
}
