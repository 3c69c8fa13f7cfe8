// PostgreSQL's ingest: one call of the function migration 0003 made, in autocommit: the call is the report's transaction, committed before its answer
// comes back. Ten round trips per report (BEGIN, eight statements, COMMIT) were most of the
// collector's CPU on PostgreSQL beyond what it spends on SQLite (issue 29).
import { INGEST_FUNCTION } from './migrations/0003-postgres-ingest.js';
import { checkStatuses, datasetState, reportDatasets } from './ingest-datasets.js';
import { type IngestItem, reportValues } from './ingest-item.js';
import { placeholders, type Run } from './ingest-sql.js';
import { toIso } from './rows.js';
import type { IngestOutcome } from './types.js';

const ARGUMENTS = 22;
const CALL = `select ${INGEST_FUNCTION}(${placeholders(ARGUMENTS)}) as outcome`;

const OUTCOMES: ReadonlySet<unknown> = new Set<IngestOutcome>(['stored', 'duplicate', 'conflict']);

export function postgresIngest(run: Run): (item: IngestItem) => Promise<IngestOutcome> {
  return async (item) => {
    const rows = await run(CALL, callValues(item));
    const outcome = rows[0]?.outcome;
    if (!OUTCOMES.has(outcome)) throw new Error(`${INGEST_FUNCTION} answered ${JSON.stringify(outcome)}`);
    return outcome as IngestOutcome;
  };
}

/** The function's arguments, in the order of its parameters. */
function callValues(item: IngestItem): unknown[] {
  const { report } = item;
  const datasets = reportDatasets(report);
  const checks = datasets.flatMap((dataset) =>
    checkStatuses(dataset).map(([check, status]) => ({ dataset_id: dataset.id, check, status })),
  );
  return [
    ...reportValues(item),
    report.agent.host.hostname,
    JSON.stringify(report.agent.host),
    report.product.version,
    report.nextRunAt === null ? null : toIso(report.nextRunAt),
    JSON.stringify(datasets.map(datasetState)),
    JSON.stringify(checks),
    report.run.datasetsSelected === null,
  ];
}
