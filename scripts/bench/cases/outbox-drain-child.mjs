// Child process of the outbox-drain case: the built product's outbox and sender (dist/) in a fresh
// Node process. `fill` queues reports (not measured); `drain` opens the outbox and sends it all,
// measured, and prints its figures as JSON.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { measuredDist } from '../measured-build.mjs';

const dist = measuredDist();
const load = (path) => import(new URL(path, dist).href);
const [operation, argsJson] = process.argv.slice(2);
const args = JSON.parse(argsJson);
const { default: pino } = await import(new URL('../../../node_modules/pino/pino.js', import.meta.url).href);
const logger = pino({ level: 'silent' });
const { openOutbox } = await load('agent/outbox.js');
const bounds = { maxReports: 10_000, maxBytes: 512 * 2 ** 20 };

/** A summary report of about `bytes`: its shape (datasets, findings with evidence, sources, digests), with hex and paths that compress as real ones do. */
function summaryLike(reportId, seq, drops, bytes) {
  const hex = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  const report = {
    kind: 'summary',
    schemaVersion: 1,
    reportId,
    product: { name: 'backup321', version: '0.1.0' },
    agent: {
      id: 'erp-01',
      instanceId: '6f0c2b9e-3f7e-4f55-9d0a-1c2b3d4e5f60',
      host: { hostname: 'erp-01', os: 'linux' },
    },
    seq,
    trigger: 'schedule',
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    nextRunAt: new Date(Date.now() + 900_000).toISOString(),
    configDigest: `sha256:${hex(64)}`,
    inventoryDigest: `sha256:${hex(64)}`,
    outbox: { dropped: drops },
    datasets: [],
    sources: [],
  };
  for (let d = 0; JSON.stringify(report).length < bytes; d++) {
    report.datasets.push({
      id: `dataset-${d}`,
      verdict: d % 5 === 0 ? 'fail' : 'pass',
      copies: 3,
      findings: Array.from({ length: 3 }, (_, f) => ({
        rule: ['copies', 'media', 'offline'][f],
        ok: f !== 0 || d % 5 !== 0,
        evidence: Array.from({ length: 2 }, (_, e) => ({
          copy: `local:erp/db-${d}-${e}.dump`,
          path: `/backup/erp/db-2026-03-${String((d % 28) + 1).padStart(2, '0')}-${e}.dump`,
          bytes: 1_000_000_000 + d * 1000 + e,
          sha256: hex(64),
          mtime: new Date(Date.now() - d * 86_400_000).toISOString(),
        })),
      })),
    });
  }
  return JSON.stringify(report);
}

const operations = {
  async fill({ dir, count, bytes }) {
    const outbox = await openOutbox({ dir, ...bounds, logger });
    for (let seq = 1; seq <= count; seq++) {
      const reportId = randomUUID();
      await outbox.add({ reportId, seq, build: (drops) => summaryLike(reportId, seq, drops, bytes) });
    }
    return outbox.depth();
  },
  async drain({ dir, url, token, window, gzip }) {
    const { createSender } = await load('agent/sender.js');
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const outbox = await openOutbox({ dir, ...bounds, logger });
    const openMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const queued = outbox.depth();
    const sender = createSender({ outbox, endpoint: url, token: () => token, logger, window, gzip });
    const result = await sender.drain();
    await sender.stop();
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const cpu = process.cpuUsage(cpu0);
    return {
      wallMs,
      openMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
      queued,
      ...result,
      dir: join(dir),
    };
  },
};

process.stdout.write(`${JSON.stringify(await operations[operation](args))}\n`);
