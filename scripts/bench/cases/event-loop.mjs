// Case: event-loop delay (p99) in the process running a deep verify of the big file; a health endpoint there must stay live.
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { diskConfig } from '../data.mjs';
import { ours, summary } from '../measure.mjs';
import { ensureBigFile } from './sha-large.mjs';

export const id = 'event-loop';

export async function run(ctx) {
  ensureBigFile(ctx);
  const config = diskConfig(join(ctx.scratch, 'event-loop.json'), {
    stateDir: join(ctx.scratch, 'state', 'event-loop'),
    location: join(ctx.scratch, 'big'),
    datasets: { big: '*.dump' },
  });
  await ours('verify', { config, deep: true, eventLoop: true }); // warm-up
  const samples = [];
  for (let round = 0; round < ctx.profile.rounds; round++)
    samples.push(await ours('verify', { config, deep: true, eventLoop: true }));
  const p99 = summary(samples, (s) => s.eventLoop.p99Ms);
  const wall = summary(samples);
  return {
    id,
    title: `event-loop delay during verify --deep of one ${ctx.profile.bigFileBytes / 2 ** 30} GiB file`,
    size: `${ctx.profile.bigFileBytes / 2 ** 30} GiB`,
    unit: 'ms p99',
    ours: {
      ...p99,
      cpuMs: summary(samples, (s) => s.cpuMs).median,
      maxRssMB: Math.max(...samples.map((s) => s.maxRssMB)),
      wallMs: wall.median,
    },
    peers: [],
    ratio: undefined,
    target: 'p99 ≤ 50 ms',
    pass: p99.median <= 50,
    spread: 0,
    loadAtStart: ctx.loadAtStart,
    loadAtEnd: Number(loadavg()[0].toFixed(2)),
    notes: [
      `monitorEventLoopDelay resolution 1 ms (figures are delays beyond that timer); p50 ${summary(samples, (s) => s.eventLoop.p50Ms).median.toFixed(1)} ms, max ${Math.max(...samples.map((s) => s.eventLoop.maxMs)).toFixed(1)} ms, verify ${Math.round(wall.median)} ms`,
    ],
  };
}
