// The printable auditor report: the fleet's counts and, for each agent the filters keep (up to a
// limit), its latest report in full: policy, digests, findings and evidence, times to the second.
import type { Lang } from '../../lang.js';
import { PRODUCT_VERSION } from '../../version.js';
import type { CollectorStore, Liveness } from '../store/types.js';
import { gapText } from './agent-page.js';
import type { FleetQuery } from './fleet-query.js';
import { fleetView } from './fleet-view.js';
import { statusLabel, tallies } from './labels.js';
import { policyRows, reportDatasets } from './report-page.js';
import { fill, stringsFor } from './strings.js';
import type { Clocks } from './time.js';

export const PRINT_LIMIT = 200;

export interface PrintContext {
  store: CollectorStore;
  liveness: Liveness;
  collectorName: string;
}

export async function printPage(lang: Lang, clocks: Clocks, context: PrintContext, query: FleetQuery) {
  const t = stringsFor(lang);
  const { store, liveness } = context;
  const printClocks: Clocks = { short: clocks.full, full: clocks.full };
  const view = await fleetView(store, liveness, { ...query, page: 1 }, PRINT_LIMIT);
  const agents = await Promise.all(
    view.rows.map(async ({ agent }) => {
      const [stored, gaps] = await Promise.all([store.report(agent.lastReportId), store.gaps(agent.id)]);
      const body = stored?.body ?? null;
      return {
        id: agent.id,
        statusLabel: statusLabel(lang, agent.status),
        host: agent.hostName,
        instanceId: agent.instanceId,
        reinstalls: agent.reinstalls,
        reportId: agent.lastReportId,
        seq: agent.lastSeq ?? '—',
        finishedAt: clocks.full(agent.lastFinishedAt),
        receivedAt: clocks.full(agent.lastReceivedAt),
        configDigest: body?.configDigest ?? '—',
        inventoryDigest: body?.inventoryDigest ?? '—',
        gapsText: gaps.length === 0 ? t.noGaps : gaps.map((gap) => gapText(t, gap)).join('; '),
        policy: body ? policyRows(lang, body) : [],
        datasets: body ? reportDatasets(lang, printClocks, body) : null,
      };
    }),
  );
  return {
    ...tallies(lang, view.counts),
    generated: fill(t.generatedAt, {
      at: clocks.full(liveness.now.toISOString()),
      collector: context.collectorName,
      version: PRODUCT_VERSION,
    }),
    limited: view.matched > PRINT_LIMIT ? fill(t.printLimited, { shown: PRINT_LIMIT, matched: view.matched }) : null,
    agents,
    // Times in the findings and evidence to the second as well.
    time: clocks.full,
  };
}
