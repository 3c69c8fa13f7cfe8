// The fleet's status for auditors as CSV (RFC 4180: CRLF, quotes doubled), one row per agent ×
// dataset × check. A cell a spreadsheet would run as a formula (= + - @, or a tab or CR first)
// gets a leading apostrophe: agent ids, dataset ids and reasons come from the agents' configs.
// The export is streamed a chunk of agents at a time, so its memory does not grow with the fleet.
import { nextTurn } from './next-turn.js';
import type { AgentSummary, CollectorStore, DatasetState, Liveness } from './store/types.js';

export const CSV_COLUMNS = [
  'agent',
  'dataset',
  'verdict',
  'check',
  'status',
  'reason',
  'newest_copy_at',
  'restore_estimate_seconds',
  'rto_seconds',
  'last_report_at',
  'agent_status',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms) / 1000);

/** Agents read, with their datasets, per chunk of the streamed export. */
export const CSV_CHUNK_AGENTS = 200;

function csvLine(row: Array<string | number | null>): string {
  return `${row.map(csvCell).join(',')}\r\n`;
}

/** The header line. */
export function csvHeader(): string {
  return csvLine([...CSV_COLUMNS]);
}

/**
 * Agents without a dataset, and datasets without a check, still get a row (with those cells empty).
 * Each agent's and dataset's cells are escaped once, not once per check row.
 */
export function csvRows(agents: readonly AgentSummary[], datasets: readonly DatasetState[]): string {
  const byAgent = new Map<string, DatasetState[]>();
  for (const dataset of datasets) {
    const own = byAgent.get(dataset.agentId);
    if (own) own.push(dataset);
    else byAgent.set(dataset.agentId, [dataset]);
  }
  let text = '';
  for (const agent of agents) {
    const id = csvCell(agent.id);
    const tail = `${csvCell(agent.lastReceivedAt)},${csvCell(agent.status)}\r\n`;
    const own = byAgent.get(agent.id) ?? [];
    if (own.length === 0) text += `${id},,,,,,,,,${tail}`;
    for (const d of own) {
      const head = `${id},${csvCell(d.datasetId)},${csvCell(d.verdict)},`;
      const figures = `,${[d.newestCopyAt, seconds(d.restoreEstimateMs), seconds(d.rtoMs)].map(csvCell).join(',')},`;
      if (d.checks.length === 0) text += `${head},,${figures}${tail}`;
      for (const c of d.checks)
        text += `${head}${csvCell(c.check)},${csvCell(c.status)},${csvCell(c.reason)}${figures}${tail}`;
    }
  }
  return text;
}

/** The whole file at once (small fleets, tests). */
export function fleetCsv(agents: AgentSummary[], datasets: DatasetState[]): string {
  return csvHeader() + csvRows(agents, datasets);
}

/**
 * The fleet's CSV, a chunk of agents (by id, keyset) and their datasets at a time: a consumer that
 * reads slowly holds the next query back. Each chunk is read as the store has it then.
 */
export async function* fleetCsvChunks(
  store: CollectorStore,
  liveness: Liveness,
  chunk = CSV_CHUNK_AGENTS,
): AsyncGenerator<string> {
  yield csvHeader();
  let after: string | undefined;
  for (;;) {
    const { agents } = await store.agentsPage(
      { sort: 'name', limit: chunk, ...(after === undefined ? {} : { after }) },
      liveness,
    );
    if (agents.length === 0) return;
    const datasets = await store.datasets({ agentIds: agents.map((agent) => agent.id) });
    yield csvRows(agents, datasets);
    if (agents.length < chunk) return;
    after = agents.at(-1)?.id;
    await nextTurn();
  }
}
