// An S3 endpoint that fails, for the fault suite: every request hangs (headers never come), has its
// connection reset, or is answered 500 InternalError / 503 SlowDown with S3's XML error body. It counts
// what it saw, by operation, so a test can show the retries are bounded.
import http from 'node:http';
import type { Socket } from 'node:net';
import { closeServer, listen } from '../helpers/s3rver.js';

export type S3Fault = 'hang' | 'reset' | 500 | 503;

export interface S3FaultServer {
  endpoint: string;
  /** Every request, as "METHOD /path?sub-resource" (query values left out), in order. */
  readonly requests: string[];
  /** Requests not answered (yet): with 'hang', those the client still waits on. */
  pending(): number;
  close(): Promise<void>;
}

const ERRORS = {
  500: ['InternalError', 'We encountered an internal error. Please try again.'],
  503: ['SlowDown', 'Please reduce your request rate.'],
} as const;

/** "GET /bucket?list-type=2&prefix=x" → "GET /bucket?list-type&prefix": the operation, not its arguments. */
function operationOf(request: http.IncomingMessage): string {
  const url = new URL(request.url ?? '/', 'http://fixture');
  const keys = [...url.searchParams.keys()].filter((key) => !key.startsWith('x-id')).sort();
  return `${request.method} ${url.pathname}${keys.length ? `?${keys.join('&')}` : ''}`;
}

export async function startS3FaultServer(fault: S3Fault): Promise<S3FaultServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let pending = 0;
  const server = http.createServer((request, response) => {
    requests.push(operationOf(request));
    pending++;
    response.on('close', () => pending--);
    if (fault === 'hang') return; // neither headers nor body, ever
    if (fault === 'reset') {
      request.socket.resetAndDestroy();
      return;
    }
    const [code, message] = ERRORS[fault];
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>FAULT</RequestId></Error>`;
    response.writeHead(fault, { 'content-type': 'application/xml', 'x-amz-request-id': 'FAULT' });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return listen(server, (endpoint) => ({
    endpoint,
    requests,
    pending: () => pending,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return closeServer(server);
    },
  }));
}
