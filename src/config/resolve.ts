// Turns a schema-valid document into a Config: defaults, unit parsing, paths, cross-references between ids.
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { ConfigProblem } from '../errors.js';
import type { EffectivePolicy } from '../model.js';
import { configProblem } from './problem.js';
import { validateSchedule } from './schedule-check.js';
import type { RawConfig, RawDataset, RawPolicy } from './schema.js';
import type { Config, DatasetConfig, LocationConfig } from './types.js';
import { parseDuration, parseSize, parseThroughput } from './units.js';

export const DEFAULT_STATE_DIR = '/var/lib/backup321';

export const DEFAULT_POLICY: Readonly<Required<RawPolicy>> = {
  minCopies: 3,
  minMedia: 2,
  minOffline: 1,
  rpo: '24h',
  rto: '24h',
  offlineMaxAge: '7d',
  drillMaxAge: '90d',
  verifyMaxAge: '35d',
  offlineVerifyMaxAge: '180d',
  countPrimary: false,
  immutableCountsAsOffline: false,
  restoreOverhead: '0',
  // Default: "until the next expected copy replaces it", i.e. the dataset's RPO (filled in below).
  immutableHorizon: '',
  clockSkew: '5m',
};

function durationOf(text: string | number): number {
  // The schema pattern guarantees a parseable value.
  return parseDuration(text) ?? 0;
}

/** A hung mount is given up on after this long; a healthy one answers any single read far sooner. */
export const DEFAULT_READ_TIMEOUT_MS = 5 * 60_000;

export function effectivePolicy(base: RawPolicy | undefined, override: RawPolicy | undefined): EffectivePolicy {
  const merged = { ...DEFAULT_POLICY, ...pickDefined(base), ...pickDefined(override) };
  const rpoMs = durationOf(merged.rpo);
  return {
    minCopies: merged.minCopies,
    minMedia: merged.minMedia,
    minOffline: merged.minOffline,
    rpoMs,
    rtoMs: durationOf(merged.rto),
    offlineMaxAgeMs: durationOf(merged.offlineMaxAge),
    drillMaxAgeMs: durationOf(merged.drillMaxAge),
    verifyMaxAgeMs: durationOf(merged.verifyMaxAge),
    offlineVerifyMaxAgeMs: durationOf(merged.offlineVerifyMaxAge),
    countPrimary: merged.countPrimary,
    immutableCountsAsOffline: merged.immutableCountsAsOffline,
    restoreOverheadMs: durationOf(merged.restoreOverhead),
    immutableHorizonMs: merged.immutableHorizon !== '' ? durationOf(merged.immutableHorizon) : rpoMs,
    clockSkewMs: durationOf(merged.clockSkew),
  };
}

function pickDefined<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const POLICY_KEYS = [
  'minCopies',
  'minMedia',
  'minOffline',
  'rpo',
  'rto',
  'offlineMaxAge',
  'drillMaxAge',
  'verifyMaxAge',
  'offlineVerifyMaxAge',
  'countPrimary',
  'immutableCountsAsOffline',
  'restoreOverhead',
  'immutableHorizon',
  'clockSkew',
] as const;

function datasetPolicyOverride(dataset: RawDataset): RawPolicy {
  const override: Record<string, unknown> = {};
  for (const key of POLICY_KEYS) if (dataset[key] !== undefined) override[key] = dataset[key];
  return override as RawPolicy;
}

const asList = (pattern: string | string[]): string[] => (Array.isArray(pattern) ? pattern : [pattern]);

function resolveLocation(raw: RawConfig['locations'][number], baseDir: string): LocationConfig {
  const optionalRate = (text: string | undefined) => (text === undefined ? undefined : parseThroughput(text));
  switch (raw.type) {
    case 'disk':
      return {
        id: raw.id,
        type: 'disk',
        path: resolve(baseDir, raw.path),
        ...(raw.medium ? { medium: raw.medium } : {}),
        ...(raw.device ? { device: raw.device } : {}),
        ...(raw.throughput ? { throughputBytesPerSec: optionalRate(raw.throughput) } : {}),
        retrievalMs: raw.retrievalTime !== undefined ? durationOf(raw.retrievalTime) : 0,
        followSymlinks: raw.followSymlinks ?? 'inside',
        readTimeoutMs: raw.readTimeout !== undefined ? durationOf(raw.readTimeout) : DEFAULT_READ_TIMEOUT_MS,
      };
    case 's3': {
      const prefix = raw.prefix ?? '';
      return {
        id: raw.id,
        type: 's3',
        bucket: raw.bucket,
        prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
        ...(raw.region ? { region: raw.region } : {}),
        ...(raw.endpoint ? { endpoint: raw.endpoint } : {}),
        forcePathStyle: raw.forcePathStyle ?? Boolean(raw.endpoint),
        ...(raw.profile ? { profile: raw.profile } : {}),
        ...(raw.credentialsFile ? { credentialsFile: resolve(baseDir, raw.credentialsFile) } : {}),
        ...(raw.medium ? { medium: raw.medium } : {}),
        ...((raw.failureDomain ?? raw.device) ? { failureDomain: raw.failureDomain ?? raw.device } : {}),
        retrievalTier: raw.retrievalTier ?? 'standard',
        ...(raw.throughput ? { throughputBytesPerSec: optionalRate(raw.throughput) } : {}),
        ...(raw.retrievalTime !== undefined ? { retrievalMs: durationOf(raw.retrievalTime) } : {}),
        trustEtagMd5: raw.trustEtagMd5 ?? false,
        deepMaxBytes: raw.deepMaxBytes !== undefined ? (parseSize(raw.deepMaxBytes) ?? 0) : 1024 ** 3,
        listConcurrency: raw.listConcurrency ?? 1,
        requestTimeoutMs: raw.requestTimeout !== undefined ? durationOf(raw.requestTimeout) : 30_000,
      };
    }
    case 'offline-log':
      return {
        id: raw.id,
        type: 'offline-log',
        path: resolve(baseDir, raw.path),
        format: raw.format ?? (raw.path.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl'),
        retrievalMs: raw.retrievalTime !== undefined ? durationOf(raw.retrievalTime) : 0,
        readTimeoutMs: raw.readTimeout !== undefined ? durationOf(raw.readTimeout) : DEFAULT_READ_TIMEOUT_MS,
        ...(raw.throughput ? { throughputBytesPerSec: optionalRate(raw.throughput) } : {}),
      };
  }
}

export function resolveConfig(
  document: unknown,
  baseDir: string,
  file: string,
): { config?: Config; problems: ConfigProblem[] } {
  const raw = document as RawConfig;
  const policy = effectivePolicy(raw.policy, undefined);
  const datasets: DatasetConfig[] = raw.datasets.map((dataset) => ({
    id: dataset.id,
    ...(dataset.description ? { description: dataset.description } : {}),
    copies: Object.fromEntries(
      Object.entries(dataset.copies).map(([loc, pattern]) => [loc, asList(pattern as string | string[])]),
    ),
    ...(dataset.primary
      ? {
          primary: {
            location: dataset.primary.location,
            patterns: asList(dataset.primary.pattern as string | string[]),
          },
        }
      : {}),
    policy: effectivePolicy(raw.policy, datasetPolicyOverride(dataset)),
  }));
  const stateDir = raw.agent.stateDir ? resolve(baseDir, raw.agent.stateDir) : DEFAULT_STATE_DIR;
  const config: Config = {
    file,
    agent: { id: raw.agent.id, stateDir, hashWorkers: raw.agent.hashWorkers ?? availableParallelism() },
    policy,
    locations: raw.locations.map((location) => resolveLocation(location, baseDir)),
    datasets,
    ...(raw.restoreDrills ? { restoreDrills: resolve(baseDir, raw.restoreDrills) } : {}),
    deep: raw.deep?.budget !== undefined ? { budgetBytes: parseSize(raw.deep.budget) ?? 0 } : {},
    schedule: {
      verify: raw.schedule?.verify ?? '*/15 * * * *',
      deepVerify: raw.schedule?.deepVerify ?? '30 2 * * *',
      ...(raw.schedule?.timezone ? { timezone: raw.schedule.timezone } : {}),
    },
    watch: { settleMs: raw.watch?.settle !== undefined ? durationOf(raw.watch.settle) : DEFAULT_SETTLE_MS },
    report: {
      ...reportEndpoint(raw.report),
      ...mapPaths(raw.report, baseDir),
      outbox: {
        maxReports: raw.report?.outbox?.maxReports ?? DEFAULT_OUTBOX.maxReports,
        maxBytes:
          raw.report?.outbox?.maxBytes !== undefined
            ? (parseSize(raw.report.outbox.maxBytes) ?? 0)
            : DEFAULT_OUTBOX.maxBytes,
      },
    },
    health: raw.health?.listen ? { listen: hostPort(raw.health.listen) } : {},
  };
  return {
    config,
    problems: [
      ...s3FailureDomainProblems(raw.locations),
      ...deepBudgetProblems(config),
      ...outboxProblems(config),
      ...listenProblems(config),
      ...validateSchedule(config.schedule),
    ],
  };
}

/** A backup job writes a big dump for minutes; two still minutes say it is done. */
const DEFAULT_SETTLE_MS = 120_000;
const DEFAULT_OUTBOX = { maxReports: 10_000, maxBytes: 512 * 1024 ** 2 };

function reportEndpoint(report: RawConfig['report']): { endpoint?: string } {
  return report?.endpoint ? { endpoint: report.endpoint } : {};
}

/** `host:port` or `[v6]:port`, as the schema's pattern lets through. */
function hostPort(listen: string): { host: string; port: number } {
  const colon = listen.lastIndexOf(':');
  const host = listen.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(listen.slice(colon + 1)) };
}

function listenProblems(config: Config): ConfigProblem[] {
  const port = config.health.listen?.port;
  return port !== undefined && (port < 1 || port > 65_535)
    ? [configProblem('health.listen', 'config.port-range', { port })]
    : [];
}

/** An outbox of nothing would drop every report before it is sent. */
function outboxProblems(config: Config): ConfigProblem[] {
  return config.report.outbox.maxBytes === 0 ? [configProblem('report.outbox.maxBytes', 'config.outbox-zero')] : [];
}

/** A budget of nothing would read nothing again, ever: a mistake, not a way to switch the reads off. */
function deepBudgetProblems(config: Config): ConfigProblem[] {
  return config.deep.budgetBytes === 0 ? [configProblem('deep.budget', 'config.budget-zero')] : [];
}

/** `device` is the old name of an s3 location's `failureDomain`: either works, two different values are a mistake. */
function s3FailureDomainProblems(locations: RawConfig['locations']): ConfigProblem[] {
  return locations.flatMap((location, index) =>
    location.type === 's3' && location.failureDomain && location.device && location.failureDomain !== location.device
      ? [
          configProblem(`locations[${index}].failureDomain`, 'config.failure-domain-disagrees', {
            failureDomain: location.failureDomain,
            device: location.device,
          }),
        ]
      : [],
  );
}

function mapPaths(report: RawConfig['report'], baseDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['tokenFile', 'caFile', 'certFile', 'keyFile'] as const) {
    const value = report?.[key];
    if (value) out[key] = isAbsolute(value) ? value : resolve(baseDir, value);
  }
  return out;
}
