// The whole delivery chain as operators run it: the built collector (a child process on a SQLite file
// or a fresh PostgreSQL schema), its tokens made by `collector token create`, the built agent over the
// demo estate reporting to it, and what the collector's database holds, read with read-only queries.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Test } from 'tap';
import { waitFor } from '../agent/wait-for.js';
import { type AgentEstate, agentEstate } from '../agent/harness.js';
import { BINARY, runBinary } from '../cli/run-binary.js';
import { freshSchema, PG_URL } from '../collector/store-backends.js';

export { freePort, startAgent, until } from '../agent/harness.js';

/** The agent id of the demo estate's config: its tokens must be made for it. */
export const DEMO_AGENT = 'demo-01';

/** The agent's sender retries within this (a real collector is back in well under a second). */
export const FAST_RETRY = ['--retry-min', '50ms', '--retry-max', '300ms'];

export interface CollectorDb {
  kind: 'sqlite' | 'postgres';
  /** What `--db` is given. */
  arg: string;
  /** The PostgreSQL schema (fresh, dropped at teardown). */
  schema?: string;
}

/** A SQLite file in `dir` (not a second t.testdir(): each call of it empties the test's directory). */
export function sqliteDb(dir: string): CollectorDb {
  mkdirSync(dir, { recursive: true });
  return { kind: 'sqlite', arg: join(dir, 'collector.sqlite') };
}

export async function postgresDb(t: Test): Promise<CollectorDb> {
  const schema = await freshSchema(t);
  return { kind: 'postgres', arg: `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`, schema };
}

/**
 * `collector token create`: the token alone on the last line. The first one on a new database migrates
 * it: make that one alone (two processes migrating a new SQLite file at once collide).
 */
export async function createToken(db: CollectorDb, who: ['--agent' | '--reader', string]): Promise<string> {
  const created = await runBinary(['collector', 'token', 'create', '--db', db.arg, ...who]);
  if (created.code !== 0) throw new Error(`token create exited ${created.code}: ${created.stderr}`);
  return created.stdout.trimEnd().split('\n').at(-1) as string;
}

export interface CollectorProcess {
  child: ChildProcess;
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  /** The reports endpoint, as an agent's config names it. */
  reportsUrl: string;
  stdout(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The built collector on `db`, listening on `port` (0: a free one); resolves once it says it listens. */
export async function startCollectorProcess(t: Test, db: CollectorDb, port = 0): Promise<CollectorProcess> {
  const child = spawn(process.execPath, [BINARY, 'collector', '--db', db.arg, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const listening = () =>
    out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; address?: { port: number } })
      .find((line) => line.msg === 'collector listening');
  await waitFor(() => listening() !== undefined || child.exitCode !== null, 90_000, 'the collector to listen');
  const found = listening();
  const bound = found?.address?.port ?? port;
  if (child.exitCode !== null || bound === 0) throw new Error(`the collector did not start: ${err}${out}`);
  const url = `http://127.0.0.1:${bound}`;
  return { child, port: bound, url, reportsUrl: `${url}/api/v1/reports`, stdout: () => out, exited };
}

/** SIGKILL, and its end awaited. */
export async function kill9(process: { child: ChildProcess; exited: Promise<unknown> }): Promise<void> {
  process.child.kill('SIGKILL');
  await process.exited;
}

/**
 * The demo estate with its agent reporting to `endpoint` with `token`: a quick run every second (the
 * shortest a six-field cron expression allows), no deep run in a test's life.
 */
export function chainEstate(
  root: string,
  endpoint: string,
  token: string,
  options: { healthPort?: number; settle?: string; verify?: string } = {},
): AgentEstate {
  const estate = agentEstate(root, endpoint, { everySeconds: 1, ...options });
  writeFileSync(join(root, 'token'), `${token}\n`, { mode: 0o600 });
  return estate;
}

/** One stored report, as the collector's database holds it. */
export interface StoredRow {
  reportId: string;
  agentId: string;
  instanceId: string;
  seq: number | null;
  trigger: string;
  bodyHash: string;
  droppedFirstSeq: number | null;
  droppedLastSeq: number | null;
}

const COLUMNS =
  'report_id AS "reportId", agent_id AS "agentId", instance_id AS "instanceId", seq, trigger, body_hash AS "bodyHash", dropped_first_seq AS "droppedFirstSeq", dropped_last_seq AS "droppedLastSeq"';

/** Every row of `reports` (read-only; the collector may be running). */
export async function storedRows(db: CollectorDb): Promise<StoredRow[]> {
  return (await query(db, `SELECT ${COLUMNS} FROM ${table(db, 'reports')} ORDER BY id`)) as unknown as StoredRow[];
}

/** The stored canonical body of one report, as text (null when not stored). */
export async function storedBody(db: CollectorDb, reportId: string): Promise<string | null> {
  const rows = await query(db, `SELECT body FROM ${table(db, 'reports')} WHERE report_id = $1`, [reportId]);
  const body = rows[0]?.body;
  if (body === undefined) return null;
  return typeof body === 'string' ? body : JSON.stringify(body);
}

const table = (db: CollectorDb, name: string) => (db.kind === 'postgres' ? `${db.schema}.${name}` : name);

async function query(db: CollectorDb, sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  if (db.kind === 'sqlite') {
    const sqlite = new Database(db.arg, { readonly: true, fileMustExist: true });
    try {
      return sqlite.prepare(sql.replace(/\$\d+/g, '?')).all(...params) as Array<Record<string, unknown>>;
    } finally {
      sqlite.close();
    }
  }
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query('SET default_transaction_read_only = on');
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** What a set of rows says about "exactly once": counts a reader checks. */
export interface Tally {
  rows: number;
  distinctReportIds: number;
  /** Rows beyond the first of their reportId (the unique key makes this 0 unless it is broken). */
  duplicateRows: number;
  /** Seqs stored more than once under different reportIds (a seq handed out twice). */
  repeatedSeqs: number[];
  /** Seqs missing between 1 and the highest stored. */
  missingSeqs: number[];
  maxSeq: number;
}

export function tally(rows: StoredRow[]): Tally {
  const ids = new Set(rows.map((row) => row.reportId));
  const bySeq = new Map<number, number>();
  for (const row of rows) if (row.seq !== null) bySeq.set(row.seq, (bySeq.get(row.seq) ?? 0) + 1);
  const maxSeq = Math.max(0, ...bySeq.keys());
  const missingSeqs: number[] = [];
  for (let seq = 1; seq <= maxSeq; seq++) if (!bySeq.has(seq)) missingSeqs.push(seq);
  return {
    rows: rows.length,
    distinctReportIds: ids.size,
    duplicateRows: rows.length - ids.size,
    repeatedSeqs: [...bySeq].filter(([, n]) => n > 1).map(([seq]) => seq),
    missingSeqs,
    maxSeq,
  };
}

/** The outbox's files: whole reports (by name), temp files a crash left, and anything else. */
export function outboxFiles(stateDir: string): { reports: string[]; temp: string[]; other: string[] } {
  let names: string[];
  try {
    names = readdirSync(join(stateDir, 'outbox'));
  } catch {
    names = [];
  }
  const reports = names.filter((name) => /^\d{12}-[A-Za-z0-9_-]+\.json$/.test(name));
  const temp = names.filter((name) => name.startsWith('.') && name.endsWith('.tmp'));
  const other = names.filter((name) => !reports.includes(name) && !temp.includes(name) && name !== 'drops.json');
  return { reports, temp, other };
}

/** The reportId in an outbox file's name. */
export const reportIdOfFile = (name: string): string => name.slice(13, -'.json'.length);

/** A sample's value on a Prometheus text page (the first line that matches name and labels), or undefined. */
export function sample(page: string, name: string, labels = ''): number | undefined {
  const prefix = labels ? `${name}{${labels}} ` : `${name} `;
  const line = page.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(prefix.length));
}

/** GET with a bearer token (the collector's API) or none (the agent's /metrics); the text and status. */
export async function get(url: string, token?: string): Promise<{ status: number; text: string }> {
  const answer = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: answer.status, text: await answer.text() };
}

/** The `delivery` each stored report carries (what the agent said it dropped), by seq. */
export async function storedDeliveries(
  db: CollectorDb,
): Promise<Array<{ seq: number; droppedReports: number; firstDroppedSeq: number; lastDroppedSeq: number }>> {
  const rows = await query(
    db,
    `SELECT seq, body FROM ${table(db, 'reports')} WHERE dropped_first_seq IS NOT NULL ORDER BY seq`,
  );
  return rows.map((row) => {
    const body = (typeof row.body === 'string' ? JSON.parse(row.body) : row.body) as {
      delivery: { droppedReports: number; firstDroppedSeq: number; lastDroppedSeq: number };
    };
    return { seq: Number(row.seq), ...body.delivery };
  });
}

/** Polls an asynchronous condition (a database read, a /metrics page) until it holds, failing after `timeoutMs`. */
export async function untilAsync(ready: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Tokens for these agents: the first made alone (it migrates a new database), the others at once. */
export async function createAgentTokens(db: CollectorDb, agents: string[]): Promise<string[]> {
  const [first, ...rest] = agents;
  if (first === undefined) return [];
  const head = await createToken(db, ['--agent', first]);
  return [head, ...(await Promise.all(rest.map((agent) => createToken(db, ['--agent', agent]))))];
}

/** The last seq the agent handed out (`sequence.json`; 0 before the first). */
export function lastSeq(stateDir: string): number {
  try {
    return (JSON.parse(readFileSync(join(stateDir, 'sequence.json'), 'utf8')) as { last: number }).last;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
