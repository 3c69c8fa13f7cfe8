// A TCP proxy between an agent and the collector that loses acknowledgements: the request reaches the
// collector whole, the collector stores it and answers, and then the proxy drops that answer — the
// connection closed quietly, reset, or cut half-way through the answer. The agent never learns that
// the report was stored; it must send it again and the collector must not store it twice.
import { createServer, type Server, Socket } from 'node:net';

export type DropMode = 'close' | 'reset' | 'truncate';
const MODES: DropMode[] = ['close', 'reset', 'truncate'];

export interface DroppingProxy {
  port: number;
  /** Where an agent's config points: the collector's reports path through the proxy. */
  reportsUrl: string;
  /** Chance (0–1) that an answer is dropped, while fewer than `maxDrops` were. */
  probability: number;
  maxDrops: number;
  /** Answers dropped so far, by how. */
  drops: Record<DropMode, number>;
  /** Answers passed through whole. */
  passed: number;
  dropped(): number;
  close(): Promise<void>;
}

export async function startDroppingProxy(options: {
  upstreamPort: number;
  probability: number;
  maxDrops: number;
  /** Answers passed through are held up to this long (a slow network: a wider window between commit and ack). */
  delayMs?: number;
  random?: () => number;
}): Promise<DroppingProxy> {
  const random = options.random ?? Math.random;
  const sockets = new Set<Socket>();
  const proxy: DroppingProxy = {
    port: 0,
    reportsUrl: '',
    probability: options.probability,
    maxDrops: options.maxDrops,
    drops: { close: 0, reset: 0, truncate: 0 },
    passed: 0,
    dropped: () => proxy.drops.close + proxy.drops.reset + proxy.drops.truncate,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  const server: Server = createServer((client) => {
    const upstream = new Socket();
    sockets.add(client).add(upstream);
    const forget = () => {
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', forget);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    let forwarded = Promise.resolve();
    client.on('end', () => upstream.end());
    upstream.on('end', () => forwarded.then(() => client.end()));
    upstream.connect(options.upstreamPort, '127.0.0.1');
    // The agent's request goes through untouched: the collector gets it whole and stores it.
    client.pipe(upstream);
    // An answer's first bytes mean the collector has finished with the request (stored it, or not):
    // that is when the answer is lost. The answers are small: one chunk each, over a keep-alive socket.
    upstream.on('data', (chunk: Buffer) => {
      if (proxy.dropped() < proxy.maxDrops && random() < proxy.probability) {
        const mode = MODES[Math.floor(random() * MODES.length)] as DropMode;
        proxy.drops[mode]++;
        upstream.destroy();
        if (mode === 'close') client.destroy();
        else if (mode === 'reset') client.resetAndDestroy();
        else {
          client.write(chunk.subarray(0, Math.floor(chunk.length / 2)), () => client.resetAndDestroy());
        }
        return;
      }
      proxy.passed++;
      if (!options.delayMs) {
        client.write(chunk);
        return;
      }
      // One after the other: a later chunk never overtakes an earlier one.
      const wait = random() * options.delayMs;
      forwarded = forwarded.then(
        () =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              if (!client.destroyed) client.write(chunk);
              resolve();
            }, wait),
          ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  proxy.port = typeof address === 'object' && address ? address.port : 0;
  proxy.reportsUrl = `http://127.0.0.1:${proxy.port}/api/v1/reports`;
  return proxy;
}
