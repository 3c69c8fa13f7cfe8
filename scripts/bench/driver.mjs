// Benchmark child process: runs one measured operation through the built product (dist/) and prints its figures as JSON.
// A fresh process per sample gives a fresh heap, and its own CPU time and peak RSS.

import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { measuredDist } from './measured-build.mjs';

const dist = measuredDist();
const load = (path) => import(new URL(path, dist).href);

/** CPU (user+sys, worker threads included: they are the same process) and wall time around `work`. */
async function measured(work) {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const extra = await work();
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024, ...extra };
}

async function silentLogger() {
  const { default: pino } = await import(new URL('../../node_modules/pino/pino.js', import.meta.url).href);
  return pino({ level: 'silent' });
}

/** /proc/self/io rchar: bytes this process got from read() calls (files, pipes), for the "nothing re-read" proof. */
function readChars() {
  const match = /rchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'));
  return Number(match?.[1] ?? 0);
}

const operations = {
  /** SHA-256 of one file through the checksum service (worker pool), as `verify --deep` does it. */
  async 'hash-file'({ file, stateDir }) {
    const { createChecksumService } = await load('integrity/service.js');
    const { statSync } = await import('node:fs');
    const logger = await silentLogger();
    const s = statSync(file);
    return measured(async () => {
      const service = await createChecksumService({ stateDir, logger });
      const outcome = await service.hashFile(
        { path: file, dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs },
        { deep: true },
      );
      await service.close();
      if (!outcome.ok) throw new Error(`hash failed: ${outcome.message}`);
      return { sha256: outcome.sha256 };
    });
  },

  /** A whole verify() run from a config file (walk, hash or cache, policy, report), as the CLI does it. */
  async verify({ config, deep = false, eventLoop = false }) {
    const { loadConfig } = await load('config/load.js');
    const { verify } = await load('verify/run.js');
    const logger = await silentLogger();
    const loaded = await loadConfig(config);
    // resolution 1 ms: the finest the histogram's timer offers; the figures are in ms.
    const histogram = eventLoop ? monitorEventLoopDelay({ resolution: 1 }) : undefined;
    const rchar0 = readChars();
    histogram?.enable();
    const result = await measured(async () => {
      const { report, checksumStats } = await verify({ config: loaded, logger, deep });
      histogram?.disable();
      const copies = report.datasets.reduce((sum, d) => sum + d.copies.length, 0);
      const issues = report.sources.flatMap((s) => s.issues.map((i) => i.code));
      return { copies, checksumStats, issues: [...new Set(issues)] };
    });
    result.readChars = readChars() - rchar0;
    if (histogram) {
      result.eventLoop = {
        p50Ms: histogram.percentile(50) / 1e6,
        p99Ms: histogram.percentile(99) / 1e6,
        maxMs: histogram.max / 1e6,
        samples: histogram.count,
      };
    }
    return result;
  },

  /** A verify() run, then the summary report an agent would send of it: its size, plain and gzipped. */
  async summary({ config }) {
    const { loadConfig } = await load('config/load.js');
    const { verify } = await load('verify/run.js');
    const { buildSummaryReport } = await load('report/summary-report.js');
    const { configDigest } = await load('config/digest.js');
    const { gzipSync } = await import('node:zlib');
    const logger = await silentLogger();
    const loaded = await loadConfig(config);
    const { report } = await verify({ config: loaded, logger });
    const copies = report.datasets.reduce((sum, d) => sum + d.copies.length, 0);
    return measured(async () => {
      const summary = buildSummaryReport(report, {
        instanceId: 'bench',
        seq: 1,
        trigger: 'schedule',
        finishedAt: new Date(),
        nextRunAt: null,
        configDigest: configDigest(loaded),
      });
      const json = JSON.stringify(summary);
      return { copies, jsonBytes: Buffer.byteLength(json), gzipBytes: gzipSync(json).length };
    });
  },

  /**
   * The disk walk alone (walkPattern: readdir + stat of what the pattern matches), no hashing. The
   * reading threads are started and ready before the clock starts: verify() starts them first thing,
   * behind the cache load and host probe; their start-up is in the verify cases' figures, and printed here.
   */
  async walk({ root, pattern }) {
    // A build from before sources/disk/ (--dist) has the same modules flat in sources/, named disk-*.js.
    const walk = await load('sources/disk/walk.js').catch(() => load('sources/disk-walk.js'));
    const { walkPattern } = walk;
    // An older build exports the pause budget beside walkPattern; this one from walk-types.js.
    const { ENTRIES_PER_PAUSE } = 'ENTRIES_PER_PAUSE' in walk ? walk : await load('sources/disk/walk-types.js');
    const { compilePattern } = await load('sources/disk/patterns.js').catch(() => load('sources/disk-patterns.js'));
    // A build from before the walk threads (--dist) has no walk-pool.js: it walks on one thread.
    const { walkPoolFor = () => undefined } = await load('sources/disk/walk-pool.js')
      .catch(() => load('sources/walk-pool.js'))
      .catch(() => ({}));
    const { availableParallelism } = await import('node:os');
    const { setImmediate: yieldToEventLoop } = await import('node:timers/promises');
    const poolStart = performance.now();
    const walkers = walkPoolFor(availableParallelism());
    await walkers?.ready();
    const poolStartMs = performance.now() - poolStart;
    const result = await measured(async () => {
      let files = 0;
      let bytes = 0;
      const issues = [];
      const ctx = {
        root,
        ...(walkers ? { walkers } : {}),
        dataset: 'bench',
        followSymlinks: true,
        issues,
        budget: ENTRIES_PER_PAUSE,
        listed: () => {},
        pause: () => yieldToEventLoop(),
      };
      await walkPattern(ctx, compilePattern(pattern), (match) => {
        files += 1;
        if (match.kind === 'file') bytes += match.size;
      });
      return { files, bytes, issues: issues.length, threads: walkers?.threads ?? 0, poolStartMs };
    });
    await walkers?.close();
    return result;
  },

  /** The s3 source's inventory (region, bucket facts, listing, matching, evidence, copies) with a fresh client. */
  async 's3-source'({ config }) {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const { loadConfig } = await load('config/load.js');
    const { locationsToRead, selectDatasets } = await load('verify/select.js');
    const { createS3Source } = await load('sources/s3/source.js');
    const logger = await silentLogger();
    const loaded = await loadConfig(config);
    const [work] = locationsToRead(loaded, selectDatasets(loaded, undefined));
    // The s3 source uses neither the checksum service nor host media resolution.
    const ctx = { datasets: work.datasets, now: new Date(), deep: false, stateDir: loaded.agent.stateDir, logger };
    return measured(async () => {
      const result = await createS3Source(work.location).inventory(ctx);
      const issues = result.status.issues.map((i) => i.code);
      return {
        objects: result.copies.length,
        listed: result.status.facts.objectsListed,
        status: result.status.status,
        issues,
      };
    });
  },

  /**
   * The s3 source's listing step alone, as inventoryS3 runs it: the product's client (read-only guard,
   * retries, timeouts), its plans from the dataset patterns, and listAll (pages, filtering of checksum
   * files and "directory" markers, grouping by prefix).
   */
  async 's3-list'({ config }) {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const { loadConfig } = await load('config/load.js');
    const { locationsToRead, selectDatasets } = await load('verify/select.js');
    const { createS3Client } = await load('sources/s3/client.js');
    const { planPatterns } = await load('sources/s3/plan.js');
    const { listAll } = await load('sources/s3/select.js');
    const loaded = await loadConfig(config);
    const [work] = locationsToRead(loaded, selectDatasets(loaded, undefined));
    const ctx = { datasets: work.datasets, now: new Date(), deep: false, stateDir: loaded.agent.stateDir };
    return measured(async () => {
      const client = createS3Client(work.location);
      const listing = await listAll(client, work.location, planPatterns(work.location.prefix, work.datasets), ctx);
      client.destroy();
      return { objects: listing.listed, denied: listing.denied.size };
    });
  },

  /** The peer: a plain ListObjectsV2 pagination loop with the same SDK and a fresh client. */
  async 's3-plain'({ endpoint, bucket, prefix }) {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const { S3Client, ListObjectsV2Command } = await import(
      new URL('../../node_modules/@aws-sdk/client-s3/dist-cjs/index.js', import.meta.url).href
    );
    return measured(async () => {
      // Credentials from the environment through the SDK's default chain, as the product gets them:
      // loading that chain (tens of ms) then costs both sides the same.
      const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true });
      let objects = 0;
      let token;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        objects += page.Contents?.length ?? 0;
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      client.destroy();
      return { objects };
    });
  },
};

const [name, json] = process.argv.slice(2);
const operation = operations[name];
if (!operation) {
  process.stderr.write(`unknown operation ${name}\n`);
  process.exit(2);
}
const result = await operation(JSON.parse(json ?? '{}'));
process.stdout.write(`${JSON.stringify(result)}\n`);
// Hash workers are unref'd once idle, but an SDK socket may linger: the figures are out, so stop here.
process.exit(0);
