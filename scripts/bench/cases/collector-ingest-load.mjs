// What the collector-ingest rows share: the reports (the demo estate's summary report, varied per
// agent), the 8 senders, the bare peer in a process of its own, and the built collector's processes.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measuredCliFlags, measuredDist } from '../measured-build.mjs';
import { spread, summary } from '../measure.mjs';

export const SENDERS = 8;
export const AGENTS = 400;
export const MIN_RATIO = 0.7;

export const load = (path) => import(new URL(path, measuredDist()).href);

/** The demo estate's summary report, as an agent sends it: the template every posted report varies. */
export async function templateReport(root) {
  const [{ buildDemoEstate }, { loadConfig }, { verify }, { buildSummaryReport }, { default: pino }] =
    await Promise.all([
      load('demo/estate.js'),
      load('config/load.js'),
      load('verify/run.js'),
      load('report/summary-report.js'),
      import('pino'),
    ]);
  const { configFile } = buildDemoEstate(join(root, 'estate'), new Date());
  const { report } = await verify({ config: await loadConfig(configFile), logger: pino({ level: 'silent' }) });
  return buildSummaryReport(report, {
    instanceId: randomUUID(),
    seq: 1,
    trigger: 'schedule',
    finishedAt: new Date(),
    nextRunAt: null,
    configDigest: `sha256:${'0'.repeat(64)}`,
  });
}

/** `count` distinct reports spread over the agents, each agent's in seq order, with its token. */
export function reportsFor(template, tokens, count) {
  const seqs = new Array(AGENTS).fill(0);
  const instances = Array.from({ length: AGENTS }, () => randomUUID());
  return Array.from({ length: count }, (_, i) => {
    const agent = i % AGENTS;
    const body = JSON.stringify({
      ...template,
      reportId: randomUUID(),
      agent: { ...template.agent, id: `bench-${agent}`, instanceId: instances[agent] },
      seq: ++seqs[agent],
    });
    return { body, token: tokens[agent] };
  });
}

/** A store's tokens for the bench's agents (made through the measured build's store). */
export async function agentTokens(db, options = {}) {
  const { openStore } = await load('collector/store/open.js');
  const { default: pino } = await import('pino');
  const store = await openStore(db, { logger: pino({ level: 'silent' }), ...options });
  try {
    const tokens = [];
    for (let i = 0; i < AGENTS; i++)
      tokens.push((await store.createToken({ kind: 'agent', subject: `bench-${i}` })).token);
    return tokens;
  } finally {
    await store.close();
  }
}

/**
 * Sends every report, SENDERS at a time on kept-alive connections; with several ports, the requests
 * go to them in turn. Wall time and each request's latency.
 */
export async function send(ports, reports) {
  const agent = new Agent({ keepAlive: true, maxSockets: SENDERS });
  const latencies = [];
  let next = 0;
  let refused = 0;
  let lastRefusal = '';
  const post = ({ body, token }, port) =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/v1/reports',
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let answer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (answer += chunk));
          res.on('end', () => {
            latencies.push(performance.now() - started);
            if (res.statusCode !== 201) {
              refused++;
              lastRefusal = `${res.statusCode} ${answer.slice(0, 300)}`;
            }
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (next < reports.length) {
        const i = next++;
        await post(reports[i], ports[i % ports.length]);
      }
    }),
  );
  const wallMs = performance.now() - started;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    wallMs,
    p99: latencies[Math.floor(latencies.length * 0.99)],
    refused,
    lastRefusal,
    rate: (reports.length / wallMs) * 1000,
  };
}

const BARE = fileURLToPath(new URL('./collector-ingest-bare.mjs', import.meta.url));

/** Waits for a line on the child's stdout that starts with `prefix`; returns the rest of it. */
function lineFrom(child, prefix, what) {
  return new Promise((resolve, reject) => {
    let pending = '';
    const onData = (chunk) => {
      pending += chunk;
      for (const line of pending.split('\n')) {
        if (line.startsWith(prefix)) {
          child.stdout.off('data', onData);
          resolve(line.slice(prefix.length).trim());
        }
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready`)));
  });
}

function stopper(child) {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
}

/**
 * The peer, in a process of its own as the collector is (so neither shares a core's event loop with
 * the senders): reads each body, parses it, answers 201. With `sqlite`, it also inserts each body
 * into a SQLite file (WAL, synchronous=FULL) before answering: the floor of one fsync'd commit per
 * report; with `postgres` (a URL), into a jsonb column there, one transaction a report.
 */
export async function bareProcess({ sqlite, postgres } = {}) {
  const store = sqlite ?? postgres;
  const child = spawn(process.execPath, [BARE, ...(store ? [store] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = Number(await lineFrom(child, 'listening ', 'the bare server'));
  return { port, pid: child.pid, close: stopper(child) };
}

/** The built `backup321 collector` (the command's Node flags) on `db`, answering on `port`. */
export async function collectorProcess(db, port, { nodeFlags = [], env } = {}) {
  const main = fileURLToPath(new URL('cli/main.js', measuredDist()));
  const child = spawn(
    process.execPath,
    [
      ...measuredCliFlags(),
      ...nodeFlags,
      main,
      'collector',
      '--db',
      db,
      '--listen',
      `127.0.0.1:${port}`,
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } },
  );
  for (let tries = 0; ; tries++) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (tries > 400 || child.exitCode !== null) throw new Error('the collector did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { pid: child.pid, close: stopper(child) };
}

/** CPU time (user + system, ms) a process has used so far: /proc/PID/stat, in clock ticks of 10 ms. */
export function processCpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** send(), with the CPU the serving processes used meanwhile (ms, all of them together). */
export async function sendMeasured(ports, pids, reports) {
  const before = pids.map(processCpuMs);
  const sample = await send(ports, reports);
  const cpuMs = pids.reduce((sum, pid, i) => sum + processCpuMs(pid) - before[i], 0);
  return { ...sample, cpuMs };
}

/**
 * One warm-up round, then min(3, rounds): in each, every side serves the same reports once, in an
 * order that rotates. prepare(round) → { reports, done() } makes the round's database and reports;
 * a side is { name, start(prepared) → { ports, pids, close(), otherCpu? } }, where otherCpu() starts
 * measuring the CPU of processes serving it besides its own (a database server) and returns
 * what tells it in ms when the sending ended. Samples by side name.
 */
export async function measureSides(ctx, sides, prepare) {
  const samples = Object.fromEntries(sides.map((side) => [side.name, []]));
  const rounds = Math.min(3, ctx.profile.rounds);
  for (let round = 0; round <= rounds; round++) {
    const prepared = await prepare(round);
    try {
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(round + k) % sides.length];
        const server = await side.start(prepared);
        let sample;
        try {
          const otherCpu = await server.otherCpu?.();
          sample = await sendMeasured(server.ports, server.pids, prepared.reports);
          if (otherCpu) sample.otherCpuMs = await otherCpu();
        } finally {
          await server.close();
        }
        if (sample.refused > 0)
          throw new Error(
            `${side.name} refused ${sample.refused} of ${prepared.reports.length} reports; last: ${sample.lastRefusal}`,
          );
        // The first round warms the page cache and the code; it is not counted.
        if (round > 0) samples[side.name].push(sample);
      }
    } finally {
      await prepared.done?.();
    }
  }
  return samples;
}

/** The row of a reports/s case: ours against the first peer, p99 of each side in the note. */
export const BARE_NAME = 'bare node http + JSON.parse';

/**
 * The row of a reports/s case: ours against the first peer (the bare server); other peers are
 * printed, never judged. Each side's p99 latency and server CPU per report in the notes.
 */
export function ingestRow({ id, title, size, samples, peers, count, loadAtStart, notes = [] }) {
  const rate = (s) => s.rate;
  const ours = summary(samples.ours, rate);
  const bare = summary(samples[peers[0]], rate);
  const ratio = ours.median / bare.median;
  const p99 = (side) => summary(samples[side], (s) => s.p99).median.toFixed(1);
  const cpuPerReport = (side) => Math.round((summary(samples[side], (s) => s.cpuMs).median * 1000) / count);
  const sides = ['ours', ...peers];
  const label = (side) => (side === 'ours' ? 'collector' : side);
  return {
    id,
    title,
    size,
    unit: 'reports/s',
    ours: {
      ...ours,
      cpuMs: summary(samples.ours, (s) => s.cpuMs).median,
      maxRssMB: 0,
      wallMs: summary(samples.ours, (s) => s.wallMs).median,
    },
    peers: peers.map((name) => ({
      name,
      ...summary(samples[name], rate),
      cpuMs: summary(samples[name], (s) => s.cpuMs).median,
      maxRssMB: 0,
    })),
    ratio,
    target: `≥ ${MIN_RATIO}× bare node`,
    pass: ratio >= MIN_RATIO,
    spread: Math.max(spread(ours), spread(bare)),
    loadAtStart,
    loadAtEnd: Number(loadavg()[0].toFixed(2)),
    notes: [
      `p99 latency: ${sides.map((side) => `${label(side)} ${p99(side)} ms`).join(', ')}`,
      `server CPU per report (median round): ${sides.map((side) => `${label(side)} ${cpuPerReport(side)} µs`).join(', ')}`,
      ...(samples.ours.every((s) => s.otherCpuMs !== undefined)
        ? [
            `the database server's processes serving each side, CPU per report (median round): ${sides
              .filter((side) => samples[side].every((s) => s.otherCpuMs !== undefined))
              .map(
                (side) =>
                  `${label(side)} ${Math.round((summary(samples[side], (s) => s.otherCpuMs).median * 1000) / count)} µs`,
              )
              .join(', ')}`,
          ]
        : []),
      ...notes,
    ],
  };
}
