// Turns a case's samples into one result row: ours (median, min–max, CPU, RSS), peers' medians, ratio, verdict.
import { loadavg } from 'node:os';
import { spread, summary } from './measure.mjs';

/**
 * A time-ratio row: ours ÷ the first peer's median wall time must be ≤ `max`.
 * `samples` maps side name → samples; the side named 'ours' is the product.
 */
export function timeRow({ id, title, size, samples, peers, max, loadAtStart, notes = [], extra = {} }) {
  const wall = summary(samples.ours);
  const reference = summary(samples[peers[0]]);
  const ratio = wall.median / reference.median;
  return {
    id,
    title,
    size,
    unit: 'ms',
    ours: {
      ...wall,
      cpuMs: summary(samples.ours, (s) => s.cpuMs).median,
      maxRssMB: Math.max(...samples.ours.map((s) => s.maxRssMB)),
    },
    peers: peers.map((name) => ({
      name,
      ...summary(samples[name]),
      cpuMs: summary(samples[name], (s) => s.cpuMs).median,
      maxRssMB: Math.max(...samples[name].map((s) => s.maxRssMB)),
    })),
    ratio,
    target: `≤ ${max.toFixed(2)}× ${peers[0]}`,
    pass: ratio <= max,
    spread: Math.max(spread(wall), spread(reference)),
    loadAtStart,
    loadAtEnd: Number(loadavg()[0].toFixed(2)),
    notes,
    ...extra,
  };
}
