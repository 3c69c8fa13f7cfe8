// Test helpers for the offline-log source: log lines, a context on the real host, and a fake device list.
import { pino } from 'pino';
import type { DatasetPatterns, OfflineLogLocationConfig } from '../../../src/config/types.js';
import { createHostMedia } from '../../../src/host/index.js';
import type { BlockDevice, HostMedia } from '../../../src/host/types.js';
import type { ChecksumService } from '../../../src/integrity/types.js';
import type { SourceContext } from '../../../src/sources/source.js';

export const SHA_A = 'a'.repeat(64);
export const SHA_B = 'b'.repeat(64);

/** One JSON Lines event; `written` gets the usual required fields unless overridden. */
export function ev(event: string, ts: string, media: string, extra: Record<string, unknown> = {}): string {
  const base: Record<string, unknown> = { ts, event, media };
  if (event === 'written')
    Object.assign(base, {
      mediumType: 'tape',
      dataset: 'erp-db',
      file: 'erp/x.dump',
      sha256: SHA_A,
      bytes: 100,
    });
  return JSON.stringify({ ...base, ...extra });
}

export function offlineLocation(path: string, extra: Partial<OfflineLogLocationConfig> = {}): OfflineLogLocationConfig {
  return {
    id: 'vault',
    type: 'offline-log',
    path,
    format: 'jsonl',
    retrievalMs: 6 * 3_600_000,
    throughputBytesPerSec: 300e6,
    readTimeoutMs: 300_000,
    ...extra,
  };
}

export function backup(dataset: string, ...patterns: string[]): DatasetPatterns {
  return { dataset, patterns, role: 'backup' };
}

/** The offline-log source never hashes (it reads recorded checksums only): any call is a bug. */
const noChecksums: ChecksumService = {
  cached: () => undefined,
  cacheReady: true,
  cacheReadyFor: () => true,
  untilCacheReady: () => Promise.resolve(),
  hashFile: () => Promise.reject(new Error('the offline-log source must not hash files')),
  recordHashed: () => {
    throw new Error('the offline-log source must not hash files');
  },
  stats: () => ({ filesHashed: 0, bytesHashed: 0, cacheHits: 0 }),
  close: () => Promise.resolve(),
};

/** A context on the REAL machine: createHostMedia lists the block devices attached right now. */
export function realContext(datasets: DatasetPatterns[], extra: Partial<SourceContext> = {}): SourceContext {
  const logger = pino({ level: 'silent' });
  return {
    datasets,
    now: new Date('2026-11-24T00:00:00Z'),
    deep: false,
    stateDir: '/nonexistent-state-dir',
    logger,
    checksums: noChecksums,
    host: createHostMedia({ logger }),
    ...extra,
  };
}

/** A FAKE device list: only for the "is attached" positive case, where no real device carries the id. */
export function fakeHost(devices: BlockDevice[]): HostMedia {
  return {
    resolve: () => Promise.reject(new Error('not used by the offline-log source')),
    prefetch: async () => undefined,
    blockDevices: () => Promise.resolve(devices),
  };
}
