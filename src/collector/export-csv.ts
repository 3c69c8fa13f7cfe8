// The fleet's status for auditors as CSV (RFC 4180: CRLF, quotes doubled), one row per agent ×
// dataset × check. A cell a spreadsheet would run as a formula (= + - @, or a tab or CR first)
// gets a leading apostrophe: agent ids, dataset ids and reasons come from the agents' configs.
import type { AgentSummary, DatasetState } from './store/types.js';

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

/** Agents without a dataset, and datasets without a check, still get a row (with those cells empty). */
export function fleetCsv(agents: AgentSummary[], datasets: DatasetState[]): string {
  const byAgent = new Map<string, DatasetState[]>();
  for (const dataset of datasets) byAgent.set(dataset.agentId, [...(byAgent.get(dataset.agentId) ?? []), dataset]);
  const rows: Array<Array<string | number | null>> = [[...CSV_COLUMNS]];
  for (const agent of agents) {
    const tail = [agent.lastReceivedAt, agent.status];
    const own = byAgent.get(agent.id) ?? [];
    if (own.length === 0) rows.push([agent.id, null, null, null, null, null, null, null, null, ...tail]);
    for (const d of own) {
      const head = [agent.id, d.datasetId, d.verdict];
      const figures = [d.newestCopyAt, seconds(d.restoreEstimateMs), seconds(d.rtoMs)];
      if (d.checks.length === 0) rows.push([...head, null, null, null, ...figures, ...tail]);
      for (const c of d.checks) rows.push([...head, c.check, c.status, c.reason, ...figures, ...tail]);
    }
  }
  return rows.map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}
