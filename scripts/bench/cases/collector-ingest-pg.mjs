// Cases: the collector's ingest on PostgreSQL, with one collector process (collector-ingest-pg) and
// with two on the same database (collector-ingest-pg2, the senders' requests going to the two ports
// in turn). The same reports and senders as collector-ingest, beside the same bare server. Each
// round uses a fresh schema in the database (BACKUP321_BENCH_PG, else the tests' database), dropped
// after it. Without a reachable PostgreSQL the rows are skipped, with the reason printed. PostgreSQL
// runs on the same cores: the CPU of the backends serving the collectors is noted beside theirs
// (when the server is on this machine).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
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
  processCpuMs,
  reportsFor,
  SENDERS,
  templateReport,
} from './collector-ingest-load.mjs';

const PG_URL = process.env.BACKUP321_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

async function admin(statement, values) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await client.query(statement, values);
  } finally {
    await client.end();
  }
}

/** CPU (ms) so far of every PostgreSQL process this machine runs, by pid (none when the server is elsewhere). */
function postgresCpu() {
  const byPid = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') byPid.set(Number(pid), processCpuMs(pid));
    } catch {
      // Gone meanwhile.
    }
  }
  return byPid;
}

/** The local ports of a process's TCP connections: PostgreSQL's pg_stat_activity.client_port of its own. */
function tcpPorts(pid) {
  const inodes = new Set();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const socket = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (socket) inodes.add(socket[1]);
    } catch {
      // Closed meanwhile.
    }
  }
  const ports = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length > 9 && inodes.has(fields[9])) ports.push(Number.parseInt(fields[1].split(':')[1], 16));
    }
  }
  return ports;
}

/**
 * From now to when the returned function is called: the CPU of the server processes that serve these
 * collector processes' connections (a connection opened meanwhile counts whole). PostgreSQL's own
 * background writers, shared with whatever else uses the server, are not in it.
 */
async function backendsCpu(collectorPids) {
  const before = postgresCpu();
  return async () => {
    const ports = collectorPids.flatMap(tcpPorts);
    const { rows } = await admin('select pid from pg_stat_activity where client_port = any($1::int[])', [ports]);
    return rows.reduce((sum, { pid }) => sum + processCpuMs(pid) - (before.get(pid) ?? 0), 0);
  };
}

/** Why PostgreSQL cannot be used, or null when it answers. */
async function unreachable() {
  try {
    await admin('select 1');
    return null;
  } catch (error) {
    return `no PostgreSQL at ${new URL(PG_URL).host} (${error?.message ?? error}); set BACKUP321_BENCH_PG to measure these rows`;
  }
}

const FLOOR_NAME = 'bare + one PostgreSQL insert per report';

function pgCase(id, collectors) {
  return async function run(ctx) {
    const reason = await unreachable();
    if (reason) return { id, skipped: reason, pass: true, loadAtStart: ctx.loadAtStart, notes: [`skipped: ${reason}`] };
    const root = mkdtempSync(join(tmpdir(), 'backup321-bench-ingest-pg-'));
    const schemas = new Set();
    const drop = async (schema) => {
      await admin(`drop schema if exists ${schema} cascade`);
      schemas.delete(schema);
    };
    ctx.onCleanup(async () => {
      for (const schema of [...schemas]) await drop(schema);
      rmSync(root, { recursive: true, force: true });
    });
    try {
      const count = ctx.profile.name === 'quick' ? 2_000 : 8_000;
      const template = await templateReport(root);
      const sides = [
        {
          name: 'ours',
          async start({ db }) {
            const started = [];
            try {
              for (let i = 0; i < collectors; i++) {
                const port = await freePort();
                started.push({ port, ...(await collectorProcess(db, port)) });
              }
            } catch (error) {
              await Promise.all(started.map((c) => c.close()));
              throw error;
            }
            return {
              ports: started.map((c) => c.port),
              pids: started.map((c) => c.pid),
              close: () => Promise.all(started.map((c) => c.close())),
              otherCpu: () => backendsCpu(started.map((c) => c.pid)),
            };
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
          async start({ db }) {
            const bare = await bareProcess({ postgres: db });
            return {
              ports: [bare.port],
              pids: [bare.pid],
              close: bare.close,
              otherCpu: () => backendsCpu([bare.pid]),
            };
          },
        },
      ];
      const samples = await measureSides(ctx, sides, async () => {
        const schema = `bench_ingest_${randomBytes(5).toString('hex')}`;
        await admin(`create schema ${schema}`);
        schemas.add(schema);
        const tokens = await agentTokens(PG_URL, { schema, poolSize: 2 });
        const db = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
        return { db, reports: reportsFor(template, tokens, count), done: () => drop(schema) };
      });
      return ingestRow({
        id,
        title: `ingest of ${count.toLocaleString('en')} summary reports from ${SENDERS} concurrent senders, PostgreSQL, ${collectors} collector process${collectors > 1 ? 'es' : ''}`,
        size: `${count / 1000}k reports`,
        samples,
        peers: [BARE_NAME, FLOOR_NAME],
        count,
        loadAtStart: ctx.loadAtStart,
        notes: [
          `${collectors} collector process${collectors > 1 ? 'es (requests to each in turn)' : ''} on ${new URL(PG_URL).host}${new URL(PG_URL).pathname}, a fresh schema per round; one transaction per report (one call of the ingest function since migration 0003); ${AGENTS} agents; server CPU is the collector processes' own, PostgreSQL's backends serving them apart (its background processes in neither)`,
        ],
      });
    } finally {
      for (const schema of [...schemas]) await drop(schema).catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    }
  };
}

export const onePg = { id: 'collector-ingest-pg', run: pgCase('collector-ingest-pg', 1) };
export const twoPg = { id: 'collector-ingest-pg2', run: pgCase('collector-ingest-pg2', 2) };
