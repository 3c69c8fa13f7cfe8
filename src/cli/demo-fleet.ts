// `backup321 demo --fleet` (what `npm run demo` runs): the whole chain on the demo fleet. A collector
// on a temp SQLite file, three agents' real cycles (`agent --once`, the built command as child
// processes) reporting to it, and the fleet as its API tells it; `--serve` keeps the collector up. The
// demo's S3 endpoint serves the agents' offsite buckets for as long as the demo runs.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { type CollectorPlugin, startCollector } from '../collector/server.js';
import { openStore } from '../collector/store/open.js';
import type { AgentSummary, CollectorStore } from '../collector/store/types.js';
import { buildDemoFleet, type DemoAgent, type FleetObjectStore } from '../demo/fleet.js';
import { demoS3Environment, startDemoObjectStore } from '../demo/object-store.js';
import type { Lang } from '../lang.js';
import { type Message, messageText, msg } from '../messages/index.js';
import { catalogFor } from '../report/i18n/index.js';
import { printNote, printOut } from './output.js';

export interface FleetDemoOptions {
  lang: Lang;
  logger: Logger;
  keep: boolean;
  dir: string | undefined;
  /** Keep the collector up on this address until SIGINT/SIGTERM. */
  serve: { host: string; port: number } | undefined;
  plugins: CollectorPlugin[];
}

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

export async function runFleetDemo(options: FleetDemoOptions): Promise<number> {
  const { lang, logger } = options;
  const root = options.dir ?? mkdtempSync(join(tmpdir(), 'backup321-fleet-'));
  const store = await openStore(join(root, 'collector.sqlite'), { logger });
  try {
    const objectStore = await startDemoObjectStore(join(root, 'object-store'));
    try {
      return await runFleet(options, root, store, objectStore);
    } finally {
      await objectStore.close();
    }
  } finally {
    await store.close();
    if (options.keep || options.dir) printNote(lang, msg('demo.fleet.kept', { root }));
    else {
      rmSync(root, { recursive: true, force: true });
      printNote(lang, msg('demo.fleet.removed'));
    }
  }
}

async function runFleet(
  options: FleetDemoOptions,
  root: string,
  store: CollectorStore,
  objectStore: FleetObjectStore,
): Promise<number> {
  const { lang, logger } = options;
  const collector = await startCollector({
    store,
    listen: options.serve ?? { host: '127.0.0.1', port: 0 },
    logger,
    plugins: options.plugins,
  });
  try {
    const reporting = {
      endpoint: `${collector.url}/api/v1/reports`,
      tokenFile: (id: string) => join(root, `${id}.token`),
    };
    const agents = buildDemoFleet(root, new Date(), reporting, objectStore);
    for (const agent of agents) await agentToken(store, agent.id, join(root, `${agent.id}.token`));
    for (const agent of agents) {
      const cycle = await agentOnce(agent);
      if (cycle.code !== 0) {
        printNote(
          lang,
          msg('demo.fleet.agent-failed', { agent: agent.id, code: String(cycle.code), stderr: cycle.stderr }),
        );
        return 3;
      }
    }
    const reader = await store.createToken({ kind: 'reader', subject: 'demo' });
    await printOut(await fleetText(collector.url, reader.token, lang));
    if (!options.serve) return 0;
    printNote(lang, msg('demo.fleet.serve', { url: collector.url }));
    await printOut(reader.token);
    await untilStopped();
    return 0;
  } finally {
    await collector.close();
  }
}

async function agentToken(store: CollectorStore, agentId: string, file: string): Promise<void> {
  const { token } = await store.createToken({ kind: 'agent', subject: agentId });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
}

/** One real cycle of the agent, as cron would start it. */
function agentOnce(agent: DemoAgent): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, 'agent', '-c', agent.configFile, '--once', '--log-level', 'warn'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      // The demo bucket's dummy keys reach the agent here, never through its config file.
      env: demoS3Environment(process.env),
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr: stderr.trim() }));
  });
}

/** The fleet as the collector's API gives it to any reader: its totals, then a line per agent. */
async function fleetText(url: string, token: string, lang: Lang): Promise<string> {
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
    return (await response.json()) as T;
  };
  /** Every page of a list route, following its `next` cursor. */
  const every = async <T>(path: string, key: 'agents' | 'datasets'): Promise<T[]> => {
    const list: T[] = [];
    let after: string | null = null;
    do {
      const cursor: string = after === null ? '' : `&after=${encodeURIComponent(after)}`;
      const page = await get<Record<typeof key, T[]> & { next: string | null }>(`${path}?limit=1000${cursor}`);
      list.push(...page[key]);
      after = page.next;
    } while (after !== null);
    return list;
  };
  const fleet = await get<{ agents: number; byStatus: Record<string, number> }>('/api/v1/fleet');
  const agents = await every<AgentSummary>('/api/v1/agents', 'agents');
  const datasets = { datasets: await every<{ agentId: string; verdict: string }>('/api/v1/datasets', 'datasets') };
  const catalog = catalogFor(lang);
  const say = (text: Message) => messageText(lang, text);
  const lines = [
    say(msg('demo.fleet.title', { url })),
    say(
      msg('demo.fleet.totals', {
        agents: String(fleet.agents),
        compliant: String(fleet.byStatus.compliant ?? 0),
        atRisk: String(fleet.byStatus.atRisk ?? 0),
        nonCompliant: String(fleet.byStatus.nonCompliant ?? 0),
        unknown: String(fleet.byStatus.unknown ?? 0),
        silent: String(fleet.byStatus.silent ?? 0),
      }),
    ),
  ];
  for (const agent of agents) {
    const own = datasets.datasets.filter((dataset) => dataset.agentId === agent.id);
    const count = (verdict: string) => String(own.filter((dataset) => dataset.verdict === verdict).length);
    const status = agent.status === 'silent' ? 'silent' : catalog.verdicts[agent.status];
    lines.push(
      say(
        msg('demo.fleet.agent', {
          agent: agent.id,
          status,
          datasets: String(own.length),
          compliant: count('compliant'),
          atRisk: count('at-risk'),
          nonCompliant: count('non-compliant'),
          unknown: count('unknown'),
        }),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
