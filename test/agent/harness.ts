// The agent as operators run it: the built binary as a child process, over the demo estate, reporting
// to a real HTTP receiver on 127.0.0.1 that records what it acknowledged.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildDemoEstate } from '../../src/demo/estate.js';
import { BIN } from '../helpers/cli.js';

export const TOKEN = 'b321a_test-agent-token-0123456789abcdef';

export interface Received {
  reportId: string;
  seq: number;
  trigger: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
  /** What the receiver answered. */
  status: number;
}

export interface Receiver {
  url: string;
  /** Every POST, in the order it came. */
  posts: Received[];
  /** The reports acknowledged (201), by reportId, with how many times each was acknowledged. */
  acknowledged: Map<string, number>;
  /** Answer this status (e.g. 503) instead of storing, until set back to undefined. */
  refuseWith: number | undefined;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    posts: [],
    acknowledged: new Map(),
    refuseWith: undefined,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer(async (request, response) => {
    const raw = await bodyOf(request);
    const text = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString() : raw.toString();
    const body = JSON.parse(text) as Record<string, unknown>;
    const reportId = String(body.reportId);
    const refused = receiver.refuseWith;
    const known = receiver.acknowledged.has(reportId);
    const status = refused ?? (known ? 200 : 201);
    receiver.posts.push({
      reportId,
      seq: Number(body.seq),
      trigger: String(body.trigger),
      authorization: request.headers.authorization,
      body,
      status,
    });
    if (status === 201) receiver.acknowledged.set(reportId, 1);
    else if (status === 200) receiver.acknowledged.set(reportId, (receiver.acknowledged.get(reportId) ?? 0) + 1);
    if (refused !== undefined) response.setHeader('retry-after', '0');
    response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/reports`;
  return receiver;
}

function bodyOf(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** A free TCP port on 127.0.0.1 (for health.listen, which a config names). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface AgentEstate {
  root: string;
  configFile: string;
  stateDir: string;
  config: Record<string, unknown>;
  /** Writes the config again with these top-level keys replaced. */
  rewrite(change: Record<string, unknown>): void;
}

/**
 * The demo estate with an agent's settings: a quick run every `everySeconds` s (six-field cron), a deep
 * run never in a test's life unless asked, changes settling after `settle`.
 */
export function agentEstate(
  root: string,
  receiverUrl: string,
  options: { everySeconds?: number; verify?: string; settle?: string; healthPort?: number; deep?: string } = {},
): AgentEstate {
  const { configFile } = buildDemoEstate(root, new Date());
  const tokenFile = join(root, 'token');
  writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  Object.assign(config, {
    schedule: {
      verify: options.verify ?? `*/${options.everySeconds ?? 2} * * * * *`,
      deepVerify: options.deep ?? '0 0 3 1 1 *',
    },
    watch: { settle: options.settle ?? '1s' },
    report: { endpoint: receiverUrl, tokenFile },
    ...(options.healthPort ? { health: { listen: `127.0.0.1:${options.healthPort}` } } : {}),
  });
  const write = () => writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  write();
  return {
    root,
    configFile,
    stateDir: join(root, 'state'),
    config,
    rewrite(change) {
      Object.assign(config, change);
      write();
    },
  };
}

export interface AgentProcess {
  child: ChildProcessWithoutNullStreams;
  /** Every JSON log line so far. */
  lines: Array<Record<string, unknown>>;
  stderr: () => string;
  /** Resolves with the first log line (from now or earlier, after `from`) that matches. */
  waitForLine(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
    from?: number,
  ): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startAgent(args: string[], env: NodeJS.ProcessEnv = {}): AgentProcess {
  const child = spawn(process.execPath, [BIN, 'agent', ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let pending = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim()) {
        try {
          lines.push(JSON.parse(line));
        } catch {
          lines.push({ unparsed: line });
        }
      }
      newline = pending.indexOf('\n');
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitForLine(match, timeoutMs = 60_000, from = 0) {
      const deadline = Date.now() + timeoutMs;
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.slice(from).find(match);
          if (found) return resolve(found);
          if (child.exitCode !== null || child.signalCode !== null) {
            return reject(new Error(`the agent exited before the line came; stderr: ${stderr.slice(-2000)}`));
          }
          if (Date.now() > deadline)
            return reject(new Error(`no such log line within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`));
          setTimeout(check, 100);
        };
        check();
      });
    },
  };
}

/** Polls until `ready()` is true (a state, not a time), failing after `timeoutMs`. */
export async function until(ready: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
