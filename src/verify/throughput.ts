// Fills in read throughput for locations that do not configure one, from a read probe kept in the state dir.
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { LocationConfig, S3LocationConfig } from '../config/types.js';
import { formatBytes, formatThroughput } from '../config/units.js';
import { errorMessage } from '../errors.js';
import { probeReadSpeed, type ReadProbeResult } from '../host/read-probe.js';
import type { Copy, RestorePath, SourceResult } from '../model.js';
import { writeFileAtomic } from '../state/atomic-file.js';

export const DISK_PROBE_BYTES = 256 * 1024 * 1024;
/** Object reads cost egress: a smaller sample still spans many round trips. */
export const S3_PROBE_BYTES = 64 * 1024 * 1024;
/** A device's speed changes slowly; re-measuring weekly keeps the probe's own I/O negligible. */
export const PROBE_MAX_AGE_MS = 7 * 86_400_000;
/** Below these a read is mostly latency and cache, and its rate means nothing. */
export const MIN_DISK_SAMPLE_BYTES = 64 * 1024 * 1024;
export const MIN_S3_SAMPLE_BYTES = 16 * 1024 * 1024;

interface Measurement extends ReadProbeResult {
  device: string;
  measuredAt: string;
  /** What was read: a copy, or the block device the location is on. */
  path: string;
}

type Store = Record<string, Measurement>;

export interface Probes {
  disk: (path: string, maxBytes: number, signal?: AbortSignal) => Promise<ReadProbeResult>;
  s3: (location: S3LocationConfig, key: string, maxBytes: number, signal?: AbortSignal) => Promise<ReadProbeResult>;
}

export const REAL_PROBES: Probes = {
  disk: probeReadSpeed,
  s3: async (location, key, maxBytes, signal) => {
    // Loaded only when a bucket is probed: a disk-only server never loads the AWS SDK.
    const { probeS3ReadSpeed } = await import('../sources/s3/read-probe.js');
    return probeS3ReadSpeed(location, key, maxBytes, signal);
  },
};

function readStore(file: string): Store {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Store;
  } catch {
    return {};
  }
}

/** Copies whose read speed says something about the location: real bytes, readable now (not in an archive tier). */
function probeCandidates(location: LocationConfig, copies: Copy[]): Copy[] {
  if (location.type === 'disk') return copies.filter((copy) => copy.kind === 'file' && copy.bytes > 0);
  if (location.type === 's3') {
    const base = location.retrievalMs ?? 0;
    return copies.filter((copy) => copy.bytes > 0 && (copy.restore?.retrievalMs ?? 0) <= base);
  }
  return [];
}

/** What a probe reads: the largest copy when it is big enough, else (disk) the block device under the location. */
type ProbeTarget = { path: string } | { unknown: string };

function isReadableBlockDevice(path: string): boolean {
  try {
    return statSync(path).isBlockDevice();
  } catch {
    return false;
  }
}

function probeTarget(
  location: LocationConfig,
  result: SourceResult,
  largest: Copy,
  minSampleBytes: number,
  blockDevice: (path: string) => boolean,
): ProbeTarget {
  if (largest.bytes >= minSampleBytes) return { path: largest.path };
  const too = `the largest copy (${formatBytes(largest.bytes)}) is smaller than the ${formatBytes(minSampleBytes)} a read probe needs`;
  if (location.type === 'disk') {
    // The block device the files are on reads at the rate a big restore would; tmpfs and network shares have none.
    const source = String(result.status.facts.source ?? '');
    if (source.startsWith('/dev/') && blockDevice(source)) return { path: source };
  }
  return { unknown: `${too}: configure \`throughput\` on location ${location.id}` };
}

async function probe(
  location: LocationConfig,
  target: { path: string },
  probes: Probes,
  signal: AbortSignal | undefined,
): Promise<ReadProbeResult> {
  if (location.type === 's3') {
    const { keyOfPath } = await import('../sources/s3/read-probe.js');
    return probes.s3(location, keyOfPath(target.path, location.bucket), S3_PROBE_BYTES, signal);
  }
  return probes.disk(target.path, DISK_PROBE_BYTES, signal);
}

function describe(location: LocationConfig, m: Measurement): string {
  const how = location.type === 's3' ? 'ranged GET' : m.direct ? 'direct I/O' : 'buffered, may include page cache';
  return `${formatThroughput(m.bytesPerSec)} (${how}, ${formatBytes(m.sampleBytes)} sample of ${m.path}, ${m.measuredAt})`;
}

export interface ThroughputOptions {
  stateDir: string;
  now: Date;
  logger: Logger;
  probes?: Partial<Probes>;
  /** Whether a path is a block device the probe may read (tests name their own loop device). */
  isBlockDevice?: (path: string) => boolean;
  /** An aborted run stops its probe (dd is killed, a GET cancelled) and saves no measurement. */
  signal?: AbortSignal;
  /** Another process holds the state dir: measurements are made and used, not saved. */
  readOnly?: boolean;
}

const minSampleFor = (location: LocationConfig): number =>
  location.type === 's3' ? MIN_S3_SAMPLE_BYTES : MIN_DISK_SAMPLE_BYTES;

export async function fillMeasuredThroughput(
  results: SourceResult[],
  locations: LocationConfig[],
  options: ThroughputOptions,
): Promise<void> {
  const probes = { ...REAL_PROBES, ...options.probes };
  const file = join(options.stateDir, 'read-probe.json');
  const store = readStore(file);
  let changed = false;
  for (const result of results) {
    const location = locations.find((l) => l.id === result.status.id);
    if (!location || location.type === 'offline-log' || location.throughputBytesPerSec !== undefined) continue;
    if (result.status.issues.some((found) => found.code === 'B321_NOT_ANSWERING')) {
      result.status.facts.throughputMeasured = 'unknown: the location did not answer';
      continue;
    }
    const candidates = probeCandidates(location, result.copies);
    const largest = candidates.reduce<Copy | undefined>((a, b) => (a && a.bytes >= b.bytes ? a : b), undefined);
    if (!largest) continue;
    const minSample = minSampleFor(location);
    let measurement = store[location.id];
    // A measurement from a sample too small to mean anything (kept by an older release) is not one.
    const fresh =
      measurement?.device === largest.device &&
      measurement.sampleBytes >= minSample &&
      options.now.getTime() - Date.parse(measurement.measuredAt) < PROBE_MAX_AGE_MS;
    if (!fresh) {
      const target = probeTarget(location, result, largest, minSample, options.isBlockDevice ?? isReadableBlockDevice);
      if ('unknown' in target) {
        result.status.facts.throughputMeasured = `unknown: ${target.unknown}`;
        continue;
      }
      try {
        const probed = await probe(location, target, probes, options.signal);
        if (probed.sampleBytes < minSample) {
          result.status.facts.throughputMeasured = `unknown: the probe read only ${formatBytes(probed.sampleBytes)} of ${target.path}, less than the ${formatBytes(minSample)} it needs`;
          continue;
        }
        measurement = { ...probed, device: largest.device, measuredAt: options.now.toISOString(), path: target.path };
        store[location.id] = measurement;
        changed = true;
      } catch (error) {
        if (options.signal?.aborted) return;
        options.logger.warn({ location: location.id, err: errorMessage(error) }, 'read probe failed');
        result.status.facts.throughputMeasured = `unknown: the read probe of ${target.path} failed (${errorMessage(error)})`;
        continue;
      }
    }
    if (!measurement) continue;
    // Sources may share one restore object among a location's copies (a million copies, one object):
    // fill in a copy of each distinct object, shared the same way, and never the source's own.
    const filled = new Map<RestorePath, RestorePath>();
    for (const copy of result.copies) {
      const restore = copy.restore;
      if (!restore || restore.throughputBytesPerSec !== undefined) continue;
      let replacement = filled.get(restore);
      if (!replacement) {
        replacement = { ...restore, throughputBytesPerSec: measurement.bytesPerSec, throughputSource: 'measured' };
        filled.set(restore, replacement);
      }
      copy.restore = replacement;
    }
    result.status.facts.throughputMeasured = describe(location, measurement);
  }
  if (changed && !options.readOnly) {
    try {
      mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
      writeFileAtomic(file, `${JSON.stringify(store, null, 2)}\n`);
    } catch (error) {
      options.logger.warn({ err: errorMessage(error) }, 'cannot save the read-probe results');
    }
  }
}
