// A real collector on 127.0.0.1 (port 0) over a real store, with tokens, an injected clock, and a
// logger whose lines the tests read (to check that no token is ever in them).
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { Test } from 'tap';
import { type Collector, type CollectorOptions, startCollector } from '../../src/collector/server.js';
import type { CollectorStore } from '../../src/collector/store/types.js';
import type { SummaryReport } from '../../src/report-schema/types.js';
import { captureLogger } from '../agent/fixtures.js';
import type { Backend } from './store-backends.js';
import { T0 } from './store-fixture.js';

export interface Api {
  collector: Collector;
  store: CollectorStore;
  /** The injected clock: set clock.at to move time. */
  clock: { at: number };
  /** Everything the collector logged. */
  logText: () => string;
  tokens: { agent: string; otherAgent: string; reader: string };
  tokenIds: { agent: string; otherAgent: string; reader: string };
  get(path: string, token?: string, headers?: Record<string, string>): Promise<Answer>;
  post(report: SummaryReport | string | Buffer, options?: PostOptions): Promise<Answer>;
}

export interface PostOptions {
  token?: string | null;
  gzip?: boolean;
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body's bytes as they came (a gzip body, say). */
  bytes: Buffer;
  // biome-ignore lint/suspicious/noExplicitAny: the tests read answers of many shapes; the schemas check them.
  json: () => any;
}

/** One HTTP exchange with node:http; the body is sent with a Content-Length unless `chunks` streams it. */
export function exchange(
  url: string,
  options: { method: string; headers?: Record<string, string>; body?: Buffer; chunks?: AsyncIterable<Buffer> },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...options.headers };
    if (options.body) headers['content-length'] = String(options.body.length);
    const req = request(url, { method: options.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const text = bytes.toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, bytes, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    // A refusal while we still send (413) may close the socket under our writes: the answer counts.
    req.on('error', reject);
    if (options.chunks) {
      (async () => {
        for await (const chunk of options.chunks as AsyncIterable<Buffer>) {
          if (req.destroyed) return;
          if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
        }
        req.end();
      })().catch(() => undefined);
    } else req.end(options.body);
  });
}

export async function startApi(
  t: Test,
  backend: Backend,
  options: Partial<Omit<CollectorOptions, 'store' | 'listen' | 'logger' | 'now'>> & {
    /** Called when the server looks a token up: a request's headers are in. */
    onTokenLookup?: () => void;
  } = {},
): Promise<Api> {
  const { store } = await backend.fresh(t);
  const { onTokenLookup, ...collectorOptions } = options;
  const served: CollectorStore = onTokenLookup
    ? {
        ...store,
        findToken: (token) => {
          onTokenLookup();
          return store.findToken(token);
        },
      }
    : store;
  const clock = { at: T0.getTime() + 60_000 };
  const log = captureLogger();
  const collector = await startCollector({
    store: served,
    listen: { host: '127.0.0.1', port: 0 },
    logger: log.logger,
    now: () => clock.at,
    ...collectorOptions,
  });
  t.teardown(() => collector.close());
  const made = {
    agent: await store.createToken({ kind: 'agent', subject: 'agent-1' }),
    otherAgent: await store.createToken({ kind: 'agent', subject: 'agent-2' }),
    reader: await store.createToken({ kind: 'reader', subject: 'auditor' }),
  };
  const tokens = { agent: made.agent.token, otherAgent: made.otherAgent.token, reader: made.reader.token };
  const tokenIds = { agent: made.agent.id, otherAgent: made.otherAgent.id, reader: made.reader.id };
  const auth = (token: string | null | undefined): Record<string, string> =>
    token ? { authorization: `Bearer ${token}` } : {};
  return {
    collector,
    store,
    clock,
    logText: log.text,
    tokens,
    tokenIds,
    get: (path, token = tokens.reader, headers = {}) =>
      exchange(`${collector.url}${path}`, { method: 'GET', headers: { ...auth(token), ...headers } }),
    post: (report, options = {}) => {
      const raw = Buffer.isBuffer(report)
        ? report
        : Buffer.from(typeof report === 'string' ? report : JSON.stringify(report));
      const token = options.token === undefined ? tokens.agent : options.token;
      return exchange(`${collector.url}/api/v1/reports`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.gzip ? { 'content-encoding': 'gzip' } : {}),
          ...auth(token),
          ...options.headers,
        },
        body: options.gzip ? gzipSync(raw) : raw,
      });
    },
  };
}
