// A full state dir (a 4 MiB tmpfs filled to the last byte): the real agent logs it, goes on running,
// numbers and sends every report (held in memory while the disk is full), sends what it had already
// queued, and once space is back writes to disk again; no seq is missing; nothing in the state dir is
// left half-written (every outbox file parses, the checksum cache loads, every report received is
// valid). Adjacent ground: test/agent/outbox-crash.test.ts (kill -9 mid-write), test/agent/outbox.test.ts.
import { mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CACHE_FILE_NAME, loadCacheFile } from '../../src/integrity/cache-file.js';
import { startCollector } from '../agent/collector.js';
import { captureLogger, WARN } from '../agent/fixtures.js';
import { agentEstate, freePort, startAgent, TOKEN, until } from '../agent/harness.js';
import { cannotMountTmpfs, fillFilesystem, mountTmpfs, summaryReportErrors } from './support.js';

const skip = cannotMountTmpfs();
if (skip) t.comment(`state-dir-full skipped: ${skip}`);

/** backup321_last_run_timestamp_seconds of the scheduled runs, from /metrics. */
async function lastRunMetric(port: number): Promise<number> {
  const page = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^backup321_last_run_timestamp_seconds\{trigger="schedule"\} (\S+)$/m.exec(page)?.[1]);
}

async function healthz(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

t.test(
  'a full state dir: logged, runs go on, every report made and sent, recovery, nothing damaged',
  { skip: skip ?? false },
  async (t) => {
    const root = t.testdir({});
    // Outside the test's folder, which tap removes while it may still be mounted.
    const stateDir = mkdtempSync(join(tmpdir(), 'b321-full-state-'));
    const unmount = mountTmpfs(stateDir, '4m');
    const collector = await startCollector({ token: TOKEN });
    const healthPort = await freePort();
    const estate = agentEstate(root, collector.url, { everySeconds: 2, healthPort });
    estate.rewrite({ agent: { id: 'demo-01', stateDir } });
    const agent = startAgent(['-c', estate.configFile, '--retry-min', '100ms', '--retry-max', '500ms']);
    t.teardown(async () => {
      agent.child.kill('SIGKILL');
      await agent.exited;
      await collector.close();
      unmount();
      rmdirSync(stateDir);
    });
    await until(() => collector.stored.size >= 1, 'a first report');

    // Reports wait in the outbox while the collector answers 503, then the disk fills under them.
    collector.override = () => ({ status: 503, headers: { 'retry-after': '0' } });
    const queuedFrom = agent.lines.length;
    await until(
      () => agent.lines.slice(queuedFrom).filter((l) => l.event === 'run-finished').length >= 2,
      'two reports queued behind the 503s',
    );
    const storedBeforeFull = collector.stored.size;
    const filler = join(stateDir, 'filler');
    const filled = fillFilesystem(filler);
    const fullFrom = agent.lines.length;
    // A backup touched: the next run hashes it again, so the checksum cache must be saved on the full disk.
    const touched = join(root, 'local', 'erp', 'erp-db-latest.dump');
    const when = new Date(Date.now() - 3 * 3600_000);
    utimesSync(touched, when, when);

    const noSpace = (l: Record<string, unknown>) => (l.level as number) >= 40 && /ENOSPC/.test(JSON.stringify(l));
    const heldLine = (l: Record<string, unknown>) => /held in memory/.test(String(l.msg)) && noSpace(l);
    const seqAtFull = Math.max(...[...collector.deliveries].map((d) => d.seq), 0);
    await until(
      () => agent.lines.slice(fullFrom).filter((l) => l.event === 'run-finished').length >= 3,
      'three runs finished on the full state dir',
    );
    const heldWhileFull = agent.lines.slice(fullFrom).filter(heldLine).length;
    t.ok(heldWhileFull >= 3, `their reports are held in memory, each logged with ENOSPC (${heldWhileFull})`);
    await agent.waitForLine((l) => l.msg === 'checksum cache could not be saved', 60_000, fullFrom);
    const finishedWhileFull = agent.lines.slice(fullFrom).filter((l) => l.event === 'run-finished').length;
    t.ok(finishedWhileFull >= 3, `runs go on and finish while the state dir is full (${finishedWhileFull})`);
    t.equal(
      agent.lines.slice(fullFrom).filter((l) => l.msg === 'run failed').length,
      0,
      'no run fails for the full state dir (the seq is written over its own bytes)',
    );
    const health = await healthz(healthPort);
    t.not(health.body.lastResult, 'failed', '/healthz answers, and the last run did not fail');
    const lastRunWhileFull = await lastRunMetric(healthPort);
    const finishedSoFar = agent.lines.filter((l) => l.event === 'run-finished').length;
    await until(() => agent.lines.filter((l) => l.event === 'run-finished').length > finishedSoFar, 'one more run');
    t.ok((await lastRunMetric(healthPort)) > lastRunWhileFull, 'backup321_last_run_timestamp_seconds moves while full');

    // The collector answers again: what was queued before the disk filled, and what was made since
    // (held in memory), goes out while the disk is still full.
    collector.override = undefined;
    await until(
      () => collector.deliveries.some((d) => d.seq > seqAtFull + 2 && d.status === 201),
      'reports made while full delivered while full',
    );
    const sentWhileFull = collector.stored.size - storedBeforeFull;
    t.ok(sentWhileFull >= 3, `${sentWhileFull} reports delivered while the state dir was full`);
    const runsWhileFull = agent.lines.slice(fullFrom).filter((l) => l.event === 'run-started').length;
    const failedRun = (l: Record<string, unknown>) => l.msg === 'run failed';

    rmSync(filler);
    const freedFrom = agent.lines.length;
    const seqAtFree = Math.max(...[...collector.deliveries].map((d) => d.seq));
    await agent.waitForLine((l) => l.event === 'run-finished', 60_000, freedFrom);
    await until(
      () => collector.deliveries.some((d) => d.seq > seqAtFree && d.status === 201),
      'a report after recovery',
    );
    let recovered = await healthz(healthPort);
    for (let i = 0; i < 600 && recovered.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      recovered = await healthz(healthPort);
    }
    t.equal(recovered.status, 200, '/healthz is healthy again');
    t.not(recovered.body.lastResult, 'failed', 'and says the last run did not fail');
    t.ok((await lastRunMetric(healthPort)) > lastRunWhileFull, 'backup321_last_run_timestamp_seconds moves again');

    const metrics = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
    t.match(
      metrics,
      /^backup321_reports_dropped_total\{reason="state-dir-full"\} 0$/m,
      'no report held in memory was dropped (backup321_reports_dropped_total)',
    );
    agent.child.kill('SIGTERM');
    t.equal((await agent.exited).code, 0, 'stops cleanly');

    const outbox = join(stateDir, 'outbox');
    const names = readdirSync(outbox);
    t.same(
      names.filter((n) => n.endsWith('.tmp')),
      [],
      'no temp file left in the outbox',
    );
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      t.doesNotThrow(() => JSON.parse(readFileSync(join(outbox, name), 'utf8')), `${name} parses`);
    }
    t.same(
      readdirSync(stateDir).filter((n) => n.endsWith('.tmp')),
      [],
      'no temp file left in the state dir',
    );
    const log = captureLogger();
    const cache = await loadCacheFile(join(stateDir, CACHE_FILE_NAME), log.logger);
    t.ok(cache && cache.count > 0, `the checksum cache loads (${cache?.count} records)`);
    t.same(
      log.lines().filter((l) => l.level >= WARN),
      [],
      'without a warning',
    );
    for (const [reportId, body] of collector.stored) {
      t.equal(summaryReportErrors(JSON.parse(body)), undefined, `report ${reportId} is a valid summary report`);
    }
    const seqs = collector.deliveries.filter((d) => d.status === 201).map((d) => d.seq);
    t.same(
      seqs,
      [...seqs].sort((a, b) => a - b),
      'stored in seq order',
    );
    t.equal(new Set(seqs).size, seqs.length, 'no seq stored twice');
    const first = Math.min(...seqs);
    const missing = [];
    for (let seq = first; seq <= Math.max(...seqs); seq++) if (!seqs.includes(seq)) missing.push(seq);
    t.same(missing, [], 'no seq missing: no report was lost to the full state dir');
    t.equal(agent.lines.filter((l) => /lost unsent/.test(String(l.msg))).length, 0, 'no held report was lost');
    t.comment(
      `figures: filler ${filled} bytes; ${runsWhileFull} runs while full (${agent.lines.slice(fullFrom, freedFrom).filter(failedRun).length} failed), ${agent.lines.slice(fullFrom, freedFrom).filter(heldLine).length} reports held in memory; ` +
        `${sentWhileFull} reports delivered while full; ${collector.stored.size} reports stored in all, all valid; cache ${cache?.count} records`,
    );
  },
);
