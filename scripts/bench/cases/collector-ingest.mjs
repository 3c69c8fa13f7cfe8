// Case: the collector's ingest on SQLite. 8 concurrent senders POST real summary reports (the demo
// estate's, ≈ 20 KB) to the built `backup321 collector` on a SQLite file, beside the same load on a
// bare Node HTTP server (its own process) that only parses the JSON: reports/s, each side's p99
// latency and CPU per report. A third side, printed and never judged: the bare server that also
// commits each body to SQLite (synchronous=FULL) before answering, the floor of one durable commit
// per acknowledged report. The database files live on the disk (os.tmpdir()), never on a tmpfs,
// where fsync costs nothing and durability would not be measured.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../agent-process.mjs';
import {
  AGENTS,
  agentTokens,
  BARE_NAME,
  bareProcess,
  collectorProcess,
  ingestRow,
  measureSides,
  reportsFor,
  SENDERS,
  templateReport,
} from './collector-ingest-load.mjs';

export const id = 'collector-ingest';

const FLOOR_NAME = 'bare + one SQLite commit per report';

export async function run(ctx) {
  const root = mkdtempSync(join(tmpdir(), 'backup321-bench-ingest-'));
  ctx.onCleanup(async () => rmSync(root, { recursive: true, force: true }));
  try {
    const count = ctx.profile.name === 'quick' ? 2_000 : 8_000;
    const template = await templateReport(root);
    const sides = [
      {
        name: 'ours',
        async start({ db }) {
          const port = await freePort();
          const collector = await collectorProcess(db, port);
          return { ports: [port], pids: [collector.pid], close: collector.close };
        },
      },
      {
        name: BARE_NAME,
        async start() {
          const bare = await bareProcess();
          return { ports: [bare.port], pids: [bare.pid], close: bare.close };
        },
      },
      {
        name: FLOOR_NAME,
        async start({ round }) {
          const bare = await bareProcess({ sqlite: join(root, `floor-${round}-${Date.now()}.sqlite`) });
          return { ports: [bare.port], pids: [bare.pid], close: bare.close };
        },
      },
    ];
    const samples = await measureSides(ctx, sides, async (round) => {
      const db = join(root, `collector-${round}.sqlite`);
      const reports = reportsFor(template, await agentTokens(db), count);
      return { round, db, reports };
    });
    return ingestRow({
      id,
      title: `ingest of ${count.toLocaleString('en')} summary reports (≈ ${Math.round(JSON.stringify(template).length / 1000)} KB) from ${SENDERS} concurrent senders, SQLite`,
      size: `${count / 1000}k reports`,
      samples,
      peers: [BARE_NAME, FLOOR_NAME],
      count,
      loadAtStart: ctx.loadAtStart,
      notes: [
        `the collector validates each report against the schema, checks the token, and commits it (synchronous=FULL, several reports per commit when they arrive together) with its agent's and datasets' latest state; ${AGENTS} agents, each its own token; databases on ${tmpdir()} (disk)`,
      ],
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
