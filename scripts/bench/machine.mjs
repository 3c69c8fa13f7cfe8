// The machine header of a benchmark run: cores, CPU, SHA extensions, Node, memory, load, and a load gate.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, freemem, loadavg, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

export function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const flags = /^flags\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.split(' ') ?? [];
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    // sha_ni: x86 SHA extensions (SHA-256 in hardware, which OpenSSL and Node's crypto both use).
    shaExtensions: flags.includes('sha_ni') ? 'sha_ni' : flags.includes('sha2') ? 'sha2 (arm)' : 'none',
    node: process.version,
    openssl: process.versions.openssl,
    freeMemoryMB: Math.round(freemem() / 2 ** 20),
    totalMemoryMB: Math.round(totalmem() / 2 ** 20),
    loadAverage: loadavg().map((v) => Number(v.toFixed(2))),
    date: new Date().toISOString(),
  };
}

export function isBusy(cores = availableParallelism()) {
  return loadavg()[0] > cores * 0.5;
}

/** Waits (polling every 5 s, at most `maxMs`) for the 1-minute load to fall to half the cores; returns the load then. */
export async function waitForQuiet(maxMs, cores = availableParallelism()) {
  const until = Date.now() + maxMs;
  while (loadavg()[0] > cores * 0.5 && Date.now() < until) await sleep(5000);
  return Number(loadavg()[0].toFixed(2));
}

export function headerLines(m) {
  const lines = [
    `machine: ${m.cores} cores, ${m.cpuModel}, SHA extensions: ${m.shaExtensions}, Node ${m.node} (OpenSSL ${m.openssl})`,
    `memory: ${m.freeMemoryMB} MiB free of ${m.totalMemoryMB} MiB; load average at start: ${m.loadAverage.join(' ')}; ${m.date}`,
  ];
  if (m.loadAverage[0] > m.cores * 0.5) {
    lines.push(
      `WARNING: the machine is busy (1-min load ${m.loadAverage[0]} on ${m.cores} cores): timings are noisy, ratios may be off.`,
    );
  }
  return lines;
}
