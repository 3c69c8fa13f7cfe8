// A client that streams a body far over the collector's limit a chunk at a time and records how
// much it had sent when the answer came and when the server closed the socket; and the test
// process's resident memory, sampled while that happens (the collector runs in this process).
import { request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

export interface Streamed {
  status: number | undefined;
  text: string;
  /** Body bytes written before the answer's headers arrived. */
  sentBeforeAnswer: number;
  /** Body bytes written before the socket was closed under us (or all of them). */
  sentTotal: number;
  /** Whether the server closed the socket before the whole body was sent. */
  closedEarly: boolean;
}

export function streamOverLimit(
  url: string,
  options: { headers: Record<string, string>; chunkBytes: number; totalBytes: number; pauseMs?: number },
): Promise<Streamed> {
  return new Promise((resolve) => {
    const result: Streamed = { status: undefined, text: '', sentBeforeAnswer: -1, sentTotal: 0, closedEarly: false };
    let done = false;
    let finishedSending = false;
    let answerEnded = false;
    const finish = () => {
      if (done) return;
      done = true;
      req.destroy();
      if (result.sentBeforeAnswer < 0) result.sentBeforeAnswer = result.sentTotal;
      resolve(result);
    };
    const req = request(url, { method: 'POST', headers: options.headers }, (res) => {
      result.status = res.statusCode;
      result.sentBeforeAnswer = result.sentTotal;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        result.text = Buffer.concat(chunks).toString('utf8');
        answerEnded = true;
        if (finishedSending) finish();
      });
      res.on('error', () => undefined);
    });
    const closed = () => {
      if (!finishedSending) result.closedEarly = true;
      finishedSending = true;
      // The answer may still be in flight on a half-closed socket: give it its 'end' first.
      setImmediate(() => (answerEnded || result.status === undefined ? finish() : undefined));
      setTimeout(finish, 5_000).unref();
    };
    req.on('error', closed);
    req.on('close', closed);
    const chunk = Buffer.alloc(options.chunkBytes, 0x20);
    (async () => {
      // Whitespace is valid JSON padding: the body is a well-formed start that never ends in time.
      while (result.sentTotal < options.totalBytes && !finishedSending && !req.destroyed) {
        const flushed = req.write(chunk);
        result.sentTotal += chunk.length;
        if (!flushed) {
          await new Promise<void>((r) => {
            const go = () => {
              req.off('drain', go);
              req.off('close', go);
              r();
            };
            req.on('drain', go);
            req.on('close', go);
          });
        }
        if (options.pauseMs) await delay(options.pauseMs);
      }
      if (!finishedSending && !req.destroyed) {
        finishedSending = true;
        req.end();
        if (answerEnded) finish();
      }
    })().catch(closed);
  });
}

/** The peak resident memory above the baseline while `work` runs, sampled every 5 ms. */
export async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ value: T; baseline: number; peak: number }> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, baseline, peak };
  } finally {
    clearInterval(timer);
  }
}

export const MiB = 1024 * 1024;
