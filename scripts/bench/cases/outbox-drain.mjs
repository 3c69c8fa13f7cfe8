// Case: an agent back after an outage, draining an outbox of 10,000 queued summary reports (~20 KB
// each) into a local collector that stores and answers 201: reports/s, from opening the outbox to empty.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measuredCliFlags } from '../measured-build.mjs';
import { spread, summary } from '../measure.mjs';

export const id = 'outbox-drain';

const REPORTS = 10_000;
const REPORT_BYTES = 20_000;
const TARGET = 500;
const TOKEN = 'bench-agent-token';
const CHILD = fileURLToPath(new URL('./outbox-drain-child.mjs', import.meta.url));

function child(operation, args) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...measuredCliFlags(), CHILD, operation, JSON.stringify(args)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk) => (stdout += chunk));
    proc.stderr.on('data', (chunk) => (stderr += chunk));
    proc.once('error', reject);
    proc.once('exit', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{'))
        reject(new Error(`outbox-drain ${operation} failed (exit ${code}): ${stderr.trim()}`));
      else resolve(JSON.parse(last));
    });
  });
}

/** The collector: reads each body whole, parses it, answers 201 the first time a reportId comes (200 after). */
async function startCollector() {
  const stored = new Set();
  let requests = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      requests++;
      const body = Buffer.concat(chunks);
      bytes += body.length;
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return res.writeHead(401).end();
      const { reportId } = JSON.parse(body.toString('utf8'));
      const status = stored.has(reportId) ? 200 : 201;
      stored.add(reportId);
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"stored":true}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/api/v1/reports`,
    stored,
    figures: () => ({ requests, bytes }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

export async function run(ctx) {
  const base = join(ctx.scratch, 'outbox-drain');
  const template = join(base, 'template', 'outbox');
  // Queued once through the product's own add() (fsync and all), then copied as hard links for each round.
  let filled;
  if (!existsSync(template)) filled = await child('fill', { dir: template, count: REPORTS, bytes: REPORT_BYTES });
  const rounds = ctx.profile.rounds;
  const samples = [];
  let collectorFigures;
  for (let round = 0; round <= rounds; round++) {
    const stateDir = join(base, `round-${round}`);
    mkdirSync(stateDir, { recursive: true });
    execFileSync('cp', ['-al', template, join(stateDir, 'outbox')]);
    const collector = await startCollector();
    try {
      const sample = await child('drain', {
        dir: join(stateDir, 'outbox'),
        url: collector.url,
        token: TOKEN,
        window: 1,
      });
      if (sample.sent !== REPORTS || sample.remaining !== 0 || collector.stored.size !== REPORTS)
        throw new Error(
          `drained ${sample.sent} of ${REPORTS} (${sample.remaining} left, stopped by ${sample.stoppedBy ?? 'nothing'}); the collector stored ${collector.stored.size}`,
        );
      // The first round warms the page cache and the code; it is not counted.
      if (round > 0) samples.push(sample);
      collectorFigures = collector.figures();
    } finally {
      await collector.close();
      rmSync(stateDir, { recursive: true, force: true });
    }
  }
  const rate = (s) => REPORTS / (s.wallMs / 1000);
  const ours = {
    ...summary(samples, rate),
    cpuMs: summary(samples, (s) => s.cpuMs).median,
    maxRssMB: Math.max(...samples.map((s) => s.maxRssMB)),
    wallMs: summary(samples).median,
  };
  const kb = collectorFigures.bytes / REPORTS / 1024;
  return {
    id,
    title: `draining an outbox of ${REPORTS.toLocaleString('en')} queued summary reports (~${REPORT_BYTES / 1000} KB) into a local collector answering 201`,
    size: `${REPORTS / 1000}k reports`,
    unit: 'reports/s',
    ours,
    peers: [],
    ratio: undefined,
    target: `≥ ${TARGET} reports/s`,
    pass: ours.median >= TARGET,
    spread: spread(ours),
    loadAtStart: ctx.loadAtStart,
    loadAtEnd: Number(loadavg()[0].toFixed(2)),
    notes: [
      `reports/s from opening the outbox (readdir and stat of ${REPORTS.toLocaleString('en')} files: ${summary(samples, (s) => s.openMs).median.toFixed(0)} ms) to empty, one report in flight at a time (window 1), keep-alive, plain JSON over http on 127.0.0.1; ${kb.toFixed(1)} KB per report; the collector runs in the bench process, the sender in its own`,
      filled
        ? `queued through the outbox's add() (each fsynced): ${filled.reports} reports, ${(filled.bytes / 2 ** 20).toFixed(0)} MiB`
        : 'queue reused from an earlier attempt',
    ],
  };
}
