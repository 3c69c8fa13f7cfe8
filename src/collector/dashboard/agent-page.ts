// The agent page's template data: its instances as reinstalls, its gaps in words, the chart, the findings.
import type { Lang } from '../../lang.js';
import type { SeqGap } from '../store/types.js';
import { type AgentView, HISTORY_DAYS } from './agent-view.js';
import { statusLabel } from './labels.js';
import { reportDatasets } from './report-page.js';
import { fill, type Strings, stringsFor } from './strings.js';
import type { Clocks } from './time.js';

/** "3 reports missing, seq 4–6" (and why, when the agent said it dropped them). */
export function gapText(t: Strings, gap: SeqGap): string {
  const text = fill(t.gap, { missing: gap.missing, first: gap.firstSeq, last: gap.lastSeq });
  return gap.droppedByAgent ? `${text} (${t.droppedByAgent})` : text;
}

export function agentPage(lang: Lang, clocks: Clocks, view: AgentView) {
  const t = stringsFor(lang);
  const { agent } = view;
  const host = agent.host;
  return {
    agent,
    statusLabel: statusLabel(lang, agent.status),
    hostText: `${host.os} ${host.kernel} ${host.arch}, Node ${host.nodeVersion}`,
    instanceLines: agent.instances.map((instance, index) => ({
      reinstall: index > 0,
      text: fill(index > 0 ? t.reinstall : t.firstInstance, {
        instance: instance.instanceId,
        at: clocks.short(instance.firstSeenAt),
        min: instance.minSeq ?? '—',
        max: instance.maxSeq ?? '—',
      }),
    })),
    gapLines: agent.gaps.map((gap) => gapText(t, gap)),
    historyTitle: fill(t.history, { days: HISTORY_DAYS }),
    historyPoints: view.historyPoints,
    chart: view.chart,
    datasets: view.latest ? reportDatasets(lang, clocks, view.latest) : null,
  };
}
