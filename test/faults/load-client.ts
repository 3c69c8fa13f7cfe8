// A load of agents posting reports as fast as the collector takes them, each on a connection of its
// own, recording which reportIds the collector acknowledged (a 2xx answer seen). Nothing is retried:
// a report without an answer is simply not counted as acknowledged. The collector may be down at
// times (killed): the senders keep trying until stopped.
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SummaryReport } from '../../src/report-schema/types.js';
import { vary } from '../collector/store-fixture.js';

export interface LoadClient {
  /** reportIds answered 2xx. */
  acknowledged: Set<string>;
  /** failed: sent and no whole answer (the collector killed while it had the request); down: connection refused. */
  counts: { sent: number; acknowledged: number; refused: number; failed: number; down: number };
  /** Stops the senders; resolves once none is in flight. */
  stop(): Promise<void>;
}

export function startLoad(options: {
  url: () => string;
  base: SummaryReport;
  agents: Array<{ id: string; token: string }>;
  sendersPerAgent: number;
}): LoadClient {
  let stopped = false;
  const counts = { sent: 0, acknowledged: 0, refused: 0, failed: 0, down: 0 };
  const acknowledged = new Set<string>();
  const nextSeq = new Map<string, number>();
  const sender = async (agent: { id: string; token: string }) => {
    while (!stopped) {
      const seq = (nextSeq.get(agent.id) ?? 0) + 1;
      nextSeq.set(agent.id, seq);
      const report = vary(options.base, { agentId: agent.id, instanceId: 'load', seq, at: seq });
      counts.sent++;
      const status = await post(options.url(), agent.token, Buffer.from(JSON.stringify(report))).catch(
        (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? -1 : 0),
      );
      if (status >= 200 && status < 300) {
        acknowledged.add(report.reportId);
        counts.acknowledged++;
      } else if (status <= 0) {
        counts.sent -= status === -1 ? 1 : 0;
        if (status === -1) counts.down++;
        else counts.failed++;
        await sleep(20);
      } else {
        // 429 (the token's rate) or 503 (a store error): not stored, not acknowledged.
        counts.refused++;
        await sleep(20);
      }
    }
  };
  const running = options.agents.flatMap((agent) =>
    Array.from({ length: options.sendersPerAgent }, () => sender(agent)),
  );
  return {
    acknowledged,
    counts,
    async stop() {
      stopped = true;
      await Promise.all(running);
    },
  };
}

function post(url: string, token: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        timeout: 30_000,
        headers: {
          'content-type': 'application/json',
          'content-length': String(body.length),
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        res.resume();
        // The status line is the acknowledgement; the body must still arrive whole for it to count.
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
        res.on('close', () => {
          if (!res.complete) reject(new Error('the answer was cut'));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}
