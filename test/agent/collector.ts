// A collector on 127.0.0.1 as the design doc describes it: 201 stored, 200 the same report again,
// 409 the same reportId with another body, 401 a wrong token; gunzips; answers can be overridden.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface Delivery {
  reportId: string;
  seq: number;
  body: string;
  authorization: string | undefined;
  contentType: string | undefined;
  encoding: string | undefined;
  status: number;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface CollectorOptions {
  token: string;
  tls?: { key: Buffer; cert: Buffer; ca?: Buffer; requestCert?: boolean };
}

export interface Collector {
  url: string;
  /** Every request, in the order they came, with the status answered. */
  readonly deliveries: Delivery[];
  /** reportId → body of what was stored (answered 201). */
  readonly stored: Map<string, string>;
  /** Answers this instead of the usual when it returns one (e.g. 503 for a while). */
  override: ((delivery: Omit<Delivery, 'status'>) => Answer | undefined) | undefined;
  /** Requests being handled right now, by reportId: a second of the same at once is a bug. */
  readonly concurrentSameReport: string[];
  /** Stops listening and drops every connection (the collector is down). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startCollector(options: CollectorOptions): Promise<Collector> {
  const inProgress = new Set<string>();
  const collector: Omit<Collector, 'url' | 'down' | 'up' | 'close'> = {
    deliveries: [],
    stored: new Map(),
    override: undefined,
    concurrentSameReport: [],
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const encoding = req.headers['content-encoding'];
      const body = (encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      let parsed: { reportId?: string; seq?: number } = {};
      try {
        parsed = JSON.parse(body);
      } catch {
        // answered 400 below
      }
      const reportId = parsed.reportId ?? '';
      if (inProgress.has(reportId)) collector.concurrentSameReport.push(reportId);
      inProgress.add(reportId);
      const seen = {
        reportId,
        seq: parsed.seq ?? -1,
        body,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        encoding,
      };
      const answer = collector.override?.(seen) ?? usualAnswer(seen);
      collector.deliveries.push({ ...seen, status: answer.status });
      if (answer.status === 201) collector.stored.set(reportId, body);
      // Answered on the next turn, so two requests of one report at once would overlap here.
      setImmediate(() => {
        inProgress.delete(reportId);
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body ?? '{}');
      });
    });
  };
  const usualAnswer = (seen: Omit<Delivery, 'status'>): Answer => {
    if (seen.authorization !== `Bearer ${options.token}`) return { status: 401 };
    if (seen.contentType !== 'application/json') return { status: 415 };
    if (!seen.reportId) return { status: 400, body: '{"path":"$.reportId"}' };
    const earlier = collector.stored.get(seen.reportId);
    if (earlier === undefined) return { status: 201 };
    return earlier === seen.body ? { status: 200 } : { status: 409 };
  };
  const server: Server = options.tls
    ? createHttpsServer(
        {
          key: options.tls.key,
          cert: options.tls.cert,
          ...(options.tls.ca ? { ca: options.tls.ca } : {}),
          requestCert: options.tls.requestCert ?? false,
          rejectUnauthorized: options.tls.requestCert ?? false,
        },
        handle,
      )
    : createHttpServer(handle);
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const port = await listen(0);
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return Object.assign(collector, {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/api/v1/reports`,
    down: close,
    up: async () => {
      await listen(port);
    },
    close: () => (server.listening ? close() : Promise.resolve()),
  });
}
