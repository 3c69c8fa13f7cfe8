// Fills in read throughput for disk locations that do not configure one, from a read probe kept in the state dir.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { LocationConfig } from '../config/types.js';
import { formatBytes, formatThroughput } from '../config/units.js';
import { errorMessage } from '../errors.js';
import { probeReadSpeed } from '../host/read-probe.js';
import type { SourceResult } from '../model.js';
import { writeFileAtomic } from '../state/atomic-file.js';

export const PROBE_SAMPLE_BYTES = 256 * 1024 * 1024;
/** A device's speed changes slowly; re-measuring weekly keeps the probe's own I/O negligible. */
export const PROBE_MAX_AGE_MS = 7 * 86_400_000;

interface Measurement {
  device: string;
  bytesPerSec: number;
  sampleBytes: number;
  direct: boolean;
  measuredAt: string;
  path: string;
}

type Store = Record<string, Measurement>;

function readStore(file: string): Store {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Store;
  } catch {
    return {};
  }
}

export interface ThroughputOptions {
  stateDir: string;
  now: Date;
  logger: Logger;
  probe?: typeof probeReadSpeed;
}

export async function fillMeasuredThroughput(
  results: SourceResult[],
  locations: LocationConfig[],
  options: ThroughputOptions,
): Promise<void> {
  const file = join(options.stateDir, 'read-probe.json');
  const store = readStore(file);
  let changed = false;
  for (const result of results) {
    const location = locations.find((l) => l.id === result.status.id);
    if (location?.type !== 'disk' || location.throughputBytesPerSec !== undefined) continue;
    const files = result.copies.filter((copy) => copy.kind === 'file' && copy.bytes > 0);
    if (files.length === 0) continue;
    const device = files[0]?.device ?? '';
    let measurement = store[location.id];
    const fresh =
      measurement?.device === device && options.now.getTime() - Date.parse(measurement.measuredAt) < PROBE_MAX_AGE_MS;
    if (!fresh) {
      const largest = files.reduce((a, b) => (b.bytes > a.bytes ? b : a));
      try {
        const probed = await (options.probe ?? probeReadSpeed)(largest.path, PROBE_SAMPLE_BYTES);
        measurement = { device, ...probed, measuredAt: options.now.toISOString(), path: largest.path };
        store[location.id] = measurement;
        changed = true;
      } catch (error) {
        options.logger.warn({ location: location.id, err: errorMessage(error) }, 'read probe failed');
        continue;
      }
    }
    if (!measurement) continue;
    for (const copy of result.copies) {
      if (copy.restore && copy.restore.throughputBytesPerSec === undefined) {
        copy.restore.throughputBytesPerSec = measurement.bytesPerSec;
        copy.restore.throughputSource = 'measured';
      }
    }
    result.status.facts.throughputMeasured = `${formatThroughput(measurement.bytesPerSec)} (${measurement.direct ? 'direct I/O' : 'buffered, may include page cache'}, ${formatBytes(measurement.sampleBytes)} sample, ${measurement.measuredAt})`;
  }
  if (changed) {
    try {
      mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
      writeFileAtomic(file, `${JSON.stringify(store, null, 2)}\n`);
    } catch (error) {
      options.logger.warn({ err: errorMessage(error) }, 'cannot save the read-probe results');
    }
  }
}
