// Case: the agent between runs. The demo estate's three locations (two disks, an offline-media log),
// watched, /healthz and /metrics listening, the last report sent: what an idle agent costs the server.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, processUsage, startAgent, startReceiver } from '../agent-process.mjs';
import { measuredDist } from '../measured-build.mjs';

export const id = 'agent-idle';

const MAX_RSS_MB = 100;
const MAX_CPU_PERCENT = 1;

export async function run(ctx) {
  const idleMs = ctx.profile.name === 'quick' ? 20_000 : 60_000;
  const { buildDemoEstate } = await import(new URL('demo/estate.js', measuredDist()).href);
  const root = join(ctx.scratch, 'agent-idle');
  const { configFile } = buildDemoEstate(root, new Date());
  const receiver = await startReceiver();
  const config = JSON.parse(readFileSync(configFile, 'utf8'));
  writeFileSync(join(root, 'token'), 'bench-agent-token\n', { mode: 0o600 });
  Object.assign(config, {
    schedule: { verify: '*/15 * * * *', deepVerify: '30 2 * * *' },
    report: { endpoint: receiver.url, tokenFile: join(root, 'token') },
    health: { listen: `127.0.0.1:${await freePort()}` },
  });
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const agent = startAgent(configFile);
  try {
    await agent.waitFor((line) => line.event === 'run-finished');
    await agent.waitFor((line) => line.msg === 'watching');
    // The start-up run's garbage is collected in the first seconds of idling: measured from then.
    await sleep(2_000);
    const before = processUsage(agent.child.pid);
    const started = performance.now();
    await sleep(idleMs);
    const after = processUsage(agent.child.pid);
    const wallMs = performance.now() - started;
    const cpuPercent = ((after.cpuMs - before.cpuMs) / wallMs) * 100;
    const pass = after.rssMB <= MAX_RSS_MB && cpuPercent <= MAX_CPU_PERCENT;
    return {
      id,
      title: `the agent idle for ${idleMs / 1000} s after its start-up run (3 locations watched, report sent)`,
      size: '3 locations',
      unit: 'MB',
      // RSS at the end of the idle time, and the lowest and highest it was.
      ours: {
        median: after.rssMB,
        min: Math.min(before.rssMB, after.rssMB),
        max: after.peakRssMB,
        cpuMs: after.cpuMs - before.cpuMs,
        maxRssMB: after.peakRssMB,
        wallMs,
      },
      peers: [],
      ratio: undefined,
      target: `RSS ≤ ${MAX_RSS_MB} MB, CPU ≤ ${MAX_CPU_PERCENT} %`,
      pass,
      spread: 0,
      loadAtStart: ctx.loadAtStart,
      loadAtEnd: Number(loadavg()[0].toFixed(2)),
      notes: [
        `idle: RSS ${after.rssMB.toFixed(1)} MB at the end (peak ${after.peakRssMB.toFixed(1)} MB, the start-up run's), CPU ${cpuPercent.toFixed(2)} % of one core (${after.cpuMs - before.cpuMs} ms in ${(wallMs / 1000).toFixed(0)} s); ${receiver.received()} report(s) received`,
      ],
    };
  } finally {
    await agent.stop();
    await receiver.close();
  }
}
