// Case: the collector's ingest. 8 concurrent senders POST real summary reports (the demo estate's,
// ≈ 20 KB) to the built `backup321 collector` on a SQLite file, beside the same load on a bare Node
// HTTP server that only parses the JSON: reports/s, and each side's p99 latency.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../agent-process.mjs';
import { measuredCliFlags, measuredDist } from '../measured-build.mjs';
import { spread, summary } from '../measure.mjs';

export const id = 'collector-ingest';

const SENDERS = 8;
const AGENTS = 400;
const MIN_RATIO = 0.7;

const load = (path) => import(new URL(path, measuredDist()).href);

/** The demo estate's summary report, as an agent sends it: the template every posted report varies. */
async function templateReport(root) {
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
function reportsFor(template, tokens, count) {
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

/** Sends every report, SENDERS at a time on kept-alive connections: wall time and each request's latency. */
async function send(port, reports) {
  const agent = new Agent({ keepAlive: true, maxSockets: SENDERS });
  const latencies = [];
  let next = 0;
  let refused = 0;
  const post = ({ body, token }) =>
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
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - started);
            if (res.statusCode !== 201) refused++;
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
      while (next < reports.length) await post(reports[next++]);
    }),
  );
  const wallMs = performance.now() - started;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    wallMs,
    p99: latencies[Math.floor(latencies.length * 0.99)],
    refused,
    rate: (reports.length / wallMs) * 1000,
  };
}

/** The peer: reads each body, parses it, answers 201. */
async function bareServer() {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(201, { 'content-type': 'application/json' }).end('{"stored":true}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function collectorProcess(db, port) {
  const main = fileURLToPath(new URL('cli/main.js', measuredDist()));
  const child = spawn(
    process.execPath,
    [...measuredCliFlags(), main, 'collector', '--db', db, '--listen', `127.0.0.1:${port}`, '--log-level', 'warn'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  for (let tries = 0; ; tries++) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (tries > 200 || child.exitCode !== null) throw new Error('the collector did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    close: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

export async function run(ctx) {
  const root = join(ctx.scratch, 'collector-ingest');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const count = ctx.profile.name === 'quick' ? 2_000 : 8_000;
  const template = await templateReport(root);
  const { openStore } = await load('collector/store/open.js');
  const { default: pino } = await import('pino');
  const samples = { ours: [], bare: [] };
  for (let round = 0; round <= Math.min(3, ctx.profile.rounds); round++) {
    const db = join(root, `collector-${round}.sqlite`);
    const store = await openStore(db, { logger: pino({ level: 'silent' }) });
    const tokens = [];
    for (let i = 0; i < AGENTS; i++)
      tokens.push((await store.createToken({ kind: 'agent', subject: `bench-${i}` })).token);
    await store.close();
    const reports = reportsFor(template, tokens, count);
    const port = await freePort();
    const collector = await collectorProcess(db, port);
    let ours;
    try {
      ours = await send(port, reports);
    } finally {
      await collector.close();
    }
    const bare = await bareServer();
    let peer;
    try {
      peer = await send(bare.port, reports);
    } finally {
      await bare.close();
    }
    if (ours.refused > 0) throw new Error(`the collector refused ${ours.refused} of ${count} reports`);
    // The first round warms the page cache and the code; it is not counted.
    if (round > 0) {
      samples.ours.push(ours);
      samples.bare.push(peer);
    }
  }
  const rate = (s) => s.rate;
  const ours = summary(samples.ours, rate);
  const bare = summary(samples.bare, rate);
  const ratio = ours.median / bare.median;
  return {
    id,
    title: `ingest of ${count.toLocaleString('en')} summary reports (≈ ${Math.round(reportsFor(template, ['t'], 1)[0].body.length / 1000)} KB) from ${SENDERS} concurrent senders, SQLite`,
    size: `${count / 1000}k reports`,
    unit: 'reports/s',
    ours: { ...ours, cpuMs: 0, maxRssMB: 0, wallMs: summary(samples.ours, (s) => s.wallMs).median },
    peers: [{ name: 'bare node http + JSON.parse', ...bare, cpuMs: 0, maxRssMB: 0 }],
    ratio,
    target: `≥ ${MIN_RATIO}× bare node`,
    pass: ratio >= MIN_RATIO,
    spread: Math.max(spread(ours), spread(bare)),
    loadAtStart: ctx.loadAtStart,
    loadAtEnd: Number(loadavg()[0].toFixed(2)),
    notes: [
      `p99 latency: collector ${summary(samples.ours, (s) => s.p99).median.toFixed(1)} ms, bare ${summary(samples.bare, (s) => s.p99).median.toFixed(1)} ms; the collector validates each report against the schema, checks the token, and commits it (synchronous=FULL) with its agent's and datasets' latest state; ${AGENTS} agents, each its own token`,
    ],
  };
}
