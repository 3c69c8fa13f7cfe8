// Case: /healthz latency while the agent's deep run hashes a 2 GiB file: a liveness probe (systemd's
// watchdog, a load balancer, Prometheus) must get its answer at once, whatever the agent is reading.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { bigFile } from '../data.mjs';
import { freePort, startAgent, startReceiver } from '../agent-process.mjs';
import { summary } from '../measure.mjs';

export const id = 'healthz-deep';

const BYTES = 2 * 2 ** 30;
const P99_MS = 50;

/** One GET /healthz on a kept-alive connection: its latency in ms. */
function probe(agent, port) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - started));
    });
    req.on('error', reject);
    req.end();
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export async function run(ctx) {
  const root = join(ctx.scratch, 'healthz-deep');
  const data = join(root, 'data');
  mkdirSync(data, { recursive: true });
  const file = join(data, 'big.dump');
  if (!existsSync(file)) bigFile(file, BYTES);
  const receiver = await startReceiver();
  const { Agent } = await import('node:http');
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
  const rounds = [];
  try {
    for (let round = 0; round < Math.min(3, ctx.profile.rounds); round++) {
      const port = await freePort();
      const configFile = join(root, `agent-${round}.json`);
      // The deep run comes 4 s after the start, on a warm cache: only it reads the file.
      const second = (new Date().getSeconds() + 6) % 60;
      writeFileSync(
        configFile,
        JSON.stringify({
          agent: { id: 'bench', stateDir: join(root, 'state') },
          policy: { minCopies: 1, minMedia: 1, minOffline: 0 },
          locations: [{ id: 'local', type: 'disk', path: data, throughput: '300MB/s' }],
          datasets: [{ id: 'big', copies: { local: '*.dump' } }],
          schedule: { verify: '0 0 3 1 1 *', deepVerify: `${second} * * * * *` },
          report: { endpoint: receiver.url },
          health: { listen: `127.0.0.1:${port}` },
        }),
      );
      const agent = startAgent(configFile);
      try {
        await agent.waitFor((line) => line.event === 'run-finished' && line.trigger === 'schedule');
        await agent.waitFor((line) => line.event === 'run-started' && line.trigger === 'deep');
        const latencies = [];
        let done = false;
        agent
          .waitFor((line) => line.event === 'run-finished' && line.trigger === 'deep')
          .then(() => {
            done = true;
          });
        // One probe after another, as fast as they answer, for the whole deep run.
        while (!done) latencies.push(await probe(keepAlive, port));
        latencies.sort((a, b) => a - b);
        rounds.push({
          p99: percentile(latencies, 99),
          p50: percentile(latencies, 50),
          max: latencies.at(-1),
          n: latencies.length,
        });
      } finally {
        await agent.stop();
      }
    }
  } finally {
    keepAlive.destroy();
    await receiver.close();
  }
  const p99 = summary(rounds, (r) => r.p99);
  return {
    id,
    title: `/healthz latency while the agent's deep run hashes a ${BYTES / 2 ** 30} GiB file`,
    size: `${BYTES / 2 ** 30} GiB`,
    unit: 'ms p99',
    ours: { ...p99, cpuMs: 0, maxRssMB: 0, wallMs: 0 },
    peers: [],
    ratio: undefined,
    target: `p99 ≤ ${P99_MS} ms`,
    pass: p99.median <= P99_MS,
    spread: 0,
    loadAtStart: ctx.loadAtStart,
    loadAtEnd: Number(loadavg()[0].toFixed(2)),
    notes: [
      `per round (probes one after another on a kept-alive connection, the deep run's whole length): ${rounds
        .map((r) => `${r.n} probes, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, max ${r.max.toFixed(1)} ms`)
        .join('; ')}`,
    ],
  };
}
