// What an agent's page shows: its standing, its instances (a new one is a reinstall), the gaps in its
// seq, its verdict over the last days, and its latest report's findings with their evidence.
import type { SummaryReport } from '../../report-schema/types.js';
import type { AgentDetail, CollectorStore, Liveness } from '../store/types.js';
import { type Chart, verdictChart } from './chart.js';

export const HISTORY_DAYS = 30;
const DAY = 86_400_000;

export interface AgentView {
  agent: AgentDetail;
  /** The latest report's body, or null when it was pruned. */
  latest: SummaryReport | null;
  chart: Chart;
  historyPoints: number;
}

export async function agentView(store: CollectorStore, liveness: Liveness, agentId: string): Promise<AgentView | null> {
  const agent = await store.agent(agentId, liveness);
  if (!agent) return null;
  const since = new Date(liveness.now.getTime() - HISTORY_DAYS * DAY);
  const [stored, history] = await Promise.all([store.report(agent.lastReportId), store.verdictHistory(agentId, since)]);
  return {
    agent,
    latest: stored?.body ?? null,
    chart: verdictChart(history, since, liveness.now),
    historyPoints: history.length,
  };
}
