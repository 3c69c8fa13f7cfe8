// One POST to the collector over Node's http/https with a keep-alive agent: certificates always
// verified (a private CA and a client certificate for mTLS when given), a deadline on the whole exchange.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface TlsMaterial {
  /** PEM of the CA(s) to trust instead of the system's: a private CA. */
  ca?: Buffer;
  /** PEM client certificate and key, for mTLS. */
  cert?: Buffer;
  key?: Buffer;
}

export interface CollectorAnswer {
  status: number;
  /** The Retry-After header as sent (seconds or an HTTP date). */
  retryAfter: string | undefined;
  /** The start of the answer's body (the collector names the JSON path of a 400 there). */
  body: string;
}

export const TRANSPORT_FAILURES = ['network', 'timeout', 'tls'] as const;
export type TransportFailure = (typeof TRANSPORT_FAILURES)[number];

/** No answer came: what went wrong, in the words of a failure reason, and Node's error. */
export interface TransportError extends Error {
  reason: TransportFailure;
  cause: unknown;
}

export interface Poster {
  post(body: Uint8Array, headers: Record<string, string>): Promise<CollectorAnswer>;
  /** Closes the kept-alive connections. */
  close(): void;
}

export interface PosterOptions {
  endpoint: URL;
  tls: TlsMaterial;
  /** Deadline of one exchange, from the request to the answer's last byte. */
  timeoutMs: number;
  /** Connections at once (the sender's window). */
  maxSockets: number;
}

const ANSWER_BODY_LIMIT = 64 * 1024;
const TIMEOUT_CODE = 'B321_SEND_TIMEOUT';
const TLS_CODES =
  /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$|EPROTO$)/;

export function createPoster({ endpoint, tls, timeoutMs, maxSockets }: PosterOptions): Poster {
  const secure = endpoint.protocol === 'https:';
  if (!secure && endpoint.protocol !== 'http:')
    throw new Error(`the collector's endpoint must be https: or http:, got ${endpoint.protocol}`);
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, maxSockets, ...tls, rejectUnauthorized: true })
    : new HttpAgent({ keepAlive: true, maxSockets });
  const request = secure ? httpsRequest : httpRequest;
  return {
    post: (body, headers) =>
      new Promise((resolve, reject) => {
        const req = request(endpoint, {
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': String(body.byteLength) },
        });
        const timer = setTimeout(
          () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: TIMEOUT_CODE })),
          timeoutMs,
        );
        const fail = (error: unknown) => {
          clearTimeout(timer);
          reject(transportError(error));
        };
        req.once('error', fail);
        req.once('response', (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          response.on('data', (chunk: Buffer) => {
            if (kept >= ANSWER_BODY_LIMIT) return;
            chunks.push(chunk);
            kept += chunk.length;
          });
          response.once('error', fail);
          response.once('end', () => {
            clearTimeout(timer);
            const retryAfter = response.headers['retry-after'];
            resolve({
              status: response.statusCode ?? 0,
              retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
              body: Buffer.concat(chunks).subarray(0, ANSWER_BODY_LIMIT).toString('utf8'),
            });
          });
        });
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}

function transportError(error: unknown): TransportError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const reason: TransportFailure =
    code === TIMEOUT_CODE ? 'timeout' : typeof code === 'string' && TLS_CODES.test(code) ? 'tls' : 'network';
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(typeof code === 'string' ? `${code}: ${message}` : message), { reason, cause: error });
}
