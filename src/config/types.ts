// The config after validation, defaults and unit parsing: what the rest of the program reads.
import type { EffectivePolicy, MediumClass } from '../model.js';

export type FollowSymlinks = boolean | 'inside';

export interface DiskLocationConfig {
  id: string;
  type: 'disk';
  /** Absolute (relative paths in the file are resolved against the config file's directory). */
  path: string;
  medium?: MediumClass;
  device?: string;
  throughputBytesPerSec?: number;
  retrievalMs: number;
  /**
   * Which symbolic links the walk follows: "inside" (the default) those whose real path is inside the
   * location's own root; true any; false none.
   */
  followSymlinks: FollowSymlinks;
  /** How long one read of the location may take before it counts as not answering (a hung mount). */
  readTimeoutMs: number;
}

export type RetrievalTier = 'expedited' | 'standard' | 'bulk';

export interface S3LocationConfig {
  id: string;
  type: 's3';
  bucket: string;
  /** '' or ends with '/'. */
  prefix: string;
  region?: string;
  endpoint?: string;
  forcePathStyle: boolean;
  profile?: string;
  credentialsFile?: string;
  medium?: MediumClass;
  /** The configured failure domain (`failureDomain`, or its old name `device`); else derived from the endpoint. */
  failureDomain?: string;
  retrievalTier: RetrievalTier;
  throughputBytesPerSec?: number;
  retrievalMs?: number;
  trustEtagMd5: boolean;
  deepMaxBytes: number;
  listConcurrency: number;
  requestTimeoutMs: number;
}

export interface OfflineLogLocationConfig {
  id: string;
  type: 'offline-log';
  path: string;
  format: 'jsonl' | 'csv';
  retrievalMs: number;
  throughputBytesPerSec?: number;
  /** The log's read is given up on after this long (a log on a hung network mount). */
  readTimeoutMs: number;
}

export type LocationConfig = DiskLocationConfig | S3LocationConfig | OfflineLogLocationConfig;

export interface DatasetConfig {
  id: string;
  description?: string;
  /** Location id → patterns (disk: globs; s3: prefixes or globs; offline-log: dataset names in the log). */
  copies: Record<string, string[]>;
  primary?: { location: string; patterns: string[] };
  policy: EffectivePolicy;
}

export interface Config {
  /** Absolute path of the file read ('' for a config built in memory). */
  file: string;
  agent: { id: string; stateDir: string; hashWorkers: number };
  policy: EffectivePolicy;
  locations: LocationConfig[];
  datasets: DatasetConfig[];
  restoreDrills?: string;
  /** A deep verify's budget in bytes (`deep.budget`); without it a deep verify reads everything. */
  deep: { budgetBytes?: number };
  schedule: { verify: string; deepVerify: string; timezone?: string };
  /** A watched file's change counts once its size and mtime stayed still this long (`watch.settle`). */
  watch: { settleMs: number };
  report: {
    endpoint?: string;
    tokenFile?: string;
    caFile?: string;
    certFile?: string;
    keyFile?: string;
    outbox: { maxReports: number; maxBytes: number };
  };
  /** Where the agent answers /healthz and /metrics (`health.listen`); none when absent. */
  health: { listen?: { host: string; port: number } };
}

/** The datasets that map copies to one location, with that location's patterns. */
export interface DatasetPatterns {
  dataset: string;
  patterns: string[];
  role: 'backup' | 'primary';
}
