// The printable auditor report: the fleet's counts and, for every agent the filters keep, its latest
// report in full: policy, digests, findings and evidence, times to the second. The whole fleet, so it
// is streamed a chunk of agents at a time by id (keyset, as the CSV export): the server holds one
// chunk's reports and HTML whatever the fleet's size, and an agent there from start to end is listed
// exactly once (by status, an agent that reports meanwhile could move and be listed twice or never).
import type { Lang } from '../../lang.js';
import { nextTurn } from '../next-turn.js';
import { PRODUCT_VERSION } from '../../version.js';
import type { AgentQuery, AgentSummary, CollectorStore, Liveness } from '../store/types.js';
import { gapText } from './agent-page.js';
import type { FleetQuery } from './fleet-query.js';
import { agentFilters } from './fleet-view.js';
import { statusLabel, tallies } from './labels.js';
import { policyRows, reportDatasets } from './report-page.js';
import { fill, stringsFor } from './strings.js';
import { PRINT_AGENTS_HERE } from './templates/print.js';
import type { Clocks } from './time.js';

/**
 * Agents read, with their latest reports, per chunk of the streamed report: ≈ 1 MB of HTML at 20
 * datasets an agent, and short enough a pause for the requests served between two chunks.
 */
export const PRINT_CHUNK_AGENTS = 25;

export interface PrintContext {
  store: CollectorStore;
  liveness: Liveness;
  collectorName: string;
  /** Renders the page around the agents, or a chunk of them (with the page's frame data). */
  render: (part: 'print' | 'printAgents', data: object) => string;
}

async function agentSections(lang: Lang, clocks: Clocks, store: CollectorStore, agents: AgentSummary[]) {
  const t = stringsFor(lang);
  const printClocks: Clocks = { short: clocks.full, full: clocks.full };
  return Promise.all(
    agents.map(async (agent) => {
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
}

/**
 * The report's HTML in pieces: the page up to the agents, each chunk of agents (the next chunk read
 * once the last is on its way), then the rest of the page. When the store fails on the way, the
 * report says it is incomplete where the agents stop, instead of ending as if it were whole.
 */
export async function* printChunks(
  lang: Lang,
  clocks: Clocks,
  context: PrintContext,
  query: FleetQuery,
  chunk = PRINT_CHUNK_AGENTS,
): AsyncGenerator<string> {
  const t = stringsFor(lang);
  const { store, liveness } = context;
  const filters: AgentQuery = { ...agentFilters(query), sort: 'name', limit: chunk };
  const [counts, first] = await Promise.all([store.agentCounts(liveness), store.agentsPage(filters, liveness)]);
  const page = context.render('print', {
    ...tallies(lang, counts),
    generated: fill(t.generatedAt, {
      at: clocks.full(liveness.now.toISOString()),
      collector: context.collectorName,
      version: PRODUCT_VERSION,
    }),
    listed: fill(t.printListed, { matched: first.matched }),
    // Times in the findings and evidence to the second as well.
    time: clocks.full,
  });
  const at = page.indexOf(PRINT_AGENTS_HERE);
  yield page.slice(0, at);
  let listed = 0;
  try {
    for (let agents = first; ; ) {
      const sections = await agentSections(lang, clocks, store, agents.agents);
      listed += sections.length;
      const end = agents.more ? {} : { end: fill(t.printEnd, { listed }) };
      yield context.render('printAgents', { agents: sections, time: clocks.full, ...end });
      const last = agents.agents.at(-1);
      if (!agents.more || !last) break;
      await nextTurn();
      agents = await store.agentsPage({ ...filters, after: last.id }, liveness);
    }
  } catch {
    yield context.render('printAgents', { agents: [], incomplete: fill(t.printIncomplete, { listed }) });
  }
  yield page.slice(at + PRINT_AGENTS_HERE.length);
}
