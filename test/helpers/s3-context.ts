// Builds s3 location configs and source contexts for tests, with the defaults the config loader applies.
import pino from 'pino';
import type { DatasetPatterns, S3LocationConfig } from '../../src/config/types.js';
import type { SourceContext } from '../../src/sources/source.js';

export function s3Location(overrides: Partial<S3LocationConfig> & { bucket: string }): S3LocationConfig {
  return {
    id: 'cloud',
    type: 's3',
    prefix: '',
    forcePathStyle: true,
    retrievalTier: 'standard',
    trustEtagMd5: false,
    deepMaxBytes: 64 * 1024 * 1024,
    listConcurrency: 1,
    requestTimeoutMs: 5_000,
    ...overrides,
  };
}

/** Static credentials for tests go through a credentials file, exactly as an operator would configure them. */
export function credentialsFileText(accessKeyId: string, secretAccessKey: string, profile = 'default'): string {
  return `[${profile}]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`;
}

export function s3Context(datasets: Record<string, string[]>, overrides: Partial<SourceContext> = {}): SourceContext {
  const patterns: DatasetPatterns[] = Object.entries(datasets).map(([dataset, list]) => ({
    dataset,
    patterns: list,
    role: 'backup',
  }));
  return {
    datasets: patterns,
    now: new Date('2026-11-24T12:00:00Z'),
    deep: false,
    stateDir: '/nonexistent',
    // Nothing is kept between tests: a test of what the source keeps gives its own state dir.
    stateReadOnly: true,
    logger: pino({ level: 'silent' }),
    // The s3 source never hashes local files nor resolves local media: these fail loudly if it tries.
    checksums: {
      cached: () => undefined,
      cacheReady: true,
      cacheReadyFor: () => true,
      untilCacheReady: () => Promise.resolve(),
      hashFile: () => Promise.reject(new Error('s3 source must not hash local files')),
      recordHashed: () => {
        throw new Error('s3 source must not hash local files');
      },
      stats: () => ({ filesHashed: 0, bytesHashed: 0, cacheHits: 0 }),
      close: () => Promise.resolve(),
    },
    host: {
      resolve: () => Promise.reject(new Error('s3 source must not resolve local paths')),
      prefetch: async () => undefined,
      blockDevices: () => Promise.resolve([]),
    },
    ...overrides,
  };
}
