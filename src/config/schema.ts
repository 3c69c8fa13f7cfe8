// The agent config's JSON Schema: the single source of truth for validation, editor completion and the TS type.
import type { FromSchema } from 'json-schema-to-ts';

export const DURATION_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h|d|w)?\\s*$';
export const SIZE_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*([kKMGTP]i?B?|B)?\\s*$';
export const THROUGHPUT_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*([kKMGTP]i?B?|B)\\s*/\\s*(s|m|h)\\s*$';
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';
export const LISTEN_PATTERN = '^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}$';

// Units are a string with its unit, or a bare JSON number in the base unit (seconds, bytes): an
// anyOf of the two rather than a union "type", so Ajv's strict mode (editors, the collector) stays quiet.
// The title names the kind in problems ("must be a duration").
const duration = {
  title: 'duration',
  anyOf: [
    { type: 'string', pattern: DURATION_PATTERN },
    { type: 'number', minimum: 0 },
  ],
  description:
    'A duration: a number and a unit (ms, s, m, h, d, w), e.g. "24h", "7d", "90m"; a bare number is seconds.',
} as const;

const throughput = {
  type: 'string',
  pattern: THROUGHPUT_PATTERN,
  description: 'A read rate: size per time, e.g. "300MB/s", "1.5GB/s", "80MiB/s".',
} as const;

const size = {
  title: 'size',
  anyOf: [
    { type: 'string', pattern: SIZE_PATTERN },
    { type: 'integer', minimum: 0 },
  ],
  description: 'A size, e.g. "512MB", "2GiB", "0"; a bare number is bytes.',
} as const;

const id = {
  type: 'string',
  pattern: ID_PATTERN,
  description: 'An identifier: letters, digits, ".", "_", "-".',
} as const;

const mediumClass = {
  type: 'string',
  enum: ['disk', 'removable-disk', 'network-share', 'object-storage', 'tape', 'optical'],
} as const;

/** The policy keys that may be set globally (policy) and per dataset. */
const policyProperties = {
  minCopies: { type: 'integer', minimum: 0, maximum: 100, description: 'Usable copies required, on distinct devices.' },
  minMedia: { type: 'integer', minimum: 0, maximum: 6, description: 'Distinct medium classes required.' },
  minOffline: { type: 'integer', minimum: 0, maximum: 100, description: 'Usable offline copies required.' },
  rpo: { ...duration, description: 'Recovery point objective: the newest copy must be at most this old.' },
  rto: { ...duration, description: 'Recovery time objective: restore must be possible within this time.' },
  offlineMaxAge: { ...duration, description: 'An offline copy older than this does not count.' },
  drillMaxAge: { ...duration, description: 'A successful restore drill must be at most this old.' },
  verifyMaxAge: {
    ...duration,
    description:
      'A copy the agent can read must have been read (hashed) within this time for integrity to pass (default 35d).',
  },
  offlineVerifyMaxAge: {
    ...duration,
    description:
      'Media an operator verifies by hand (offline-log) must have been verified within this time (default 180d).',
  },
  countPrimary: { type: 'boolean', description: 'Count the production data itself as one of the copies.' },
  immutableCountsAsOffline: {
    type: 'boolean',
    description: 'Count an object-storage copy under COMPLIANCE-mode Object Lock as an offline copy.',
  },
  restoreOverhead: { ...duration, description: 'Fixed time added to every restore estimate (reinstall, replay).' },
  immutableHorizon: {
    ...duration,
    description: 'An Object Lock counts only while retain-until is at least this far in the future.',
  },
  clockSkew: {
    ...duration,
    description:
      "How far ahead of this machine's clock a copy, media event or drill may be dated before it counts as future-dated (default 5m).",
  },
} as const;

const readTimeout = {
  ...duration,
  description:
    'How long one read (a listing, a stat, a block of a file) may take before the location counts as not answering (default "5m").',
} as const;

const diskLocation = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'type', 'path'],
  properties: {
    id,
    type: { const: 'disk' },
    path: { type: 'string', minLength: 1, description: 'Absolute path of the directory that holds the copies.' },
    medium: { ...mediumClass, description: 'Override the medium class resolved from the machine.' },
    device: { type: 'string', minLength: 1, description: 'Override the failure-domain id resolved from the machine.' },
    throughput: { ...throughput, description: 'Read rate for restore estimates (else measured by a read probe).' },
    retrievalTime: { ...duration, description: 'Time before a restore can start reading (e.g. mounting a share).' },
    followSymlinks: {
      enum: ['inside', true, false],
      description:
        'Which symbolic links to follow while walking: "inside" (default) only those that lead to a path inside the location, true any, false none.',
    },
    readTimeout,
  },
} as const;

const s3Location = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'type', 'bucket'],
  properties: {
    id,
    type: { const: 's3' },
    bucket: { type: 'string', minLength: 3, maxLength: 63, description: 'The bucket name (3 to 63 characters).' },
    prefix: { type: 'string', description: 'Key prefix under which dataset patterns are resolved, e.g. "erp/".' },
    region: { type: 'string', minLength: 1 },
    endpoint: { type: 'string', pattern: '^https?://', description: 'S3-compatible endpoint URL.' },
    forcePathStyle: { type: 'boolean' },
    profile: { type: 'string', minLength: 1, description: 'AWS shared-config profile name.' },
    credentialsFile: {
      type: 'string',
      minLength: 1,
      description: 'A shared-credentials style file with aws_access_key_id / aws_secret_access_key.',
    },
    medium: mediumClass,
    failureDomain: {
      type: 'string',
      minLength: 1,
      description:
        'The failure domain these copies share (default: the endpoint, or the region on AWS). Give buckets on one endpoint different values only when they fail apart: another account, another site.',
    },
    device: { type: 'string', minLength: 1, description: 'Old name of failureDomain (both set: they must agree).' },
    retrievalTier: {
      type: 'string',
      enum: ['expedited', 'standard', 'bulk'],
      description: 'The restore tier the site uses for GLACIER / DEEP_ARCHIVE objects (default standard).',
    },
    throughput,
    retrievalTime: duration,
    trustEtagMd5: {
      type: 'boolean',
      description: "Compare a single-part object's ETag (its MD5) with a local copy's MD5.",
    },
    deepMaxBytes: { ...size, description: 'With --deep, download and hash objects up to this size.' },
    listConcurrency: { type: 'integer', minimum: 1, maximum: 64 },
    requestTimeout: duration,
  },
} as const;

const offlineLogLocation = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'type', 'path'],
  properties: {
    id,
    type: { const: 'offline-log' },
    path: { type: 'string', minLength: 1, description: 'The offline-media log (JSON Lines or CSV).' },
    format: { type: 'string', enum: ['jsonl', 'csv'], description: 'Default: from the file extension.' },
    retrievalTime: { ...duration, description: 'Time to bring the media back (vault transport, loading).' },
    throughput,
    readTimeout,
  },
} as const;

const pattern = {
  title: 'pattern',
  oneOf: [
    { type: 'string', minLength: 1, description: 'One glob or prefix, e.g. "erp/*.dump".' },
    {
      type: 'array',
      minItems: 1,
      items: { type: 'string', minLength: 1, description: 'A glob or prefix, e.g. "erp/*.wal".' },
      description: 'Several globs or prefixes, e.g. ["erp/*.dump", "erp/*.wal"].',
    },
  ],
  description:
    'disk: glob(s) relative to the location path; s3: key prefix or glob(s) under the location prefix; offline-log: the dataset name used in the log.',
} as const;

const dataset = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'copies'],
  properties: {
    id,
    description: { type: 'string' },
    copies: {
      type: 'object',
      description: 'Location id → where this dataset\'s copies are in that location, e.g. {"local": "erp/*.dump"}.',
      minProperties: 1,
      additionalProperties: pattern,
    },
    primary: {
      type: 'object',
      additionalProperties: false,
      required: ['location', 'pattern'],
      properties: { location: { type: 'string' }, pattern },
      description: 'Where the production data lives (counted only with countPrimary).',
    },
    ...policyProperties,
  },
} as const;

export const configSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://backup321.dev/schema/agent.config.schema.json',
  title: 'backup321 agent config',
  type: 'object',
  additionalProperties: false,
  required: ['agent', 'locations', 'datasets'],
  properties: {
    $schema: { type: 'string' },
    agent: {
      type: 'object',
      additionalProperties: false,
      required: ['id'],
      properties: {
        id,
        stateDir: {
          type: 'string',
          minLength: 1,
          description: 'The directory of the checksum cache and read-probe results (default /var/lib/backup321).',
        },
        hashWorkers: { type: 'integer', minimum: 1, maximum: 256, description: 'Default: the number of cores.' },
      },
    },
    policy: { type: 'object', additionalProperties: false, properties: policyProperties },
    locations: {
      type: 'array',
      minItems: 1,
      description: 'Where copies are: at least one disk, s3 or offline-log location.',
      items: { oneOf: [diskLocation, s3Location, offlineLogLocation] },
    },
    datasets: {
      type: 'array',
      minItems: 1,
      items: dataset,
      description: 'What is protected: at least one dataset, with where its copies are.',
    },
    restoreDrills: { type: 'string', minLength: 1, description: 'The restore-drill log (JSON Lines).' },
    deep: {
      type: 'object',
      additionalProperties: false,
      description: "How a deep verify (verify --deep, the agent's deepVerify) reads the copies again.",
      properties: {
        budget: {
          ...size,
          description:
            'Read again at most this much per deep verify, the copies read longest ago first, e.g. "2TB" (default: everything); --budget overrides it.',
        },
      },
    },
    schedule: {
      type: 'object',
      additionalProperties: false,
      description: 'When the agent verifies: cron expressions (five fields, or six with seconds first).',
      properties: {
        verify: {
          type: 'string',
          minLength: 9,
          description: 'A cron expression for the quick (cached) verify, e.g. "*/15 * * * *" (the default).',
        },
        deepVerify: {
          type: 'string',
          minLength: 9,
          description: 'A cron expression for the deep verify within deep.budget, e.g. "30 2 * * *" (the default).',
        },
        timezone: {
          type: 'string',
          minLength: 1,
          description: 'The time zone of the cron expressions, e.g. "Asia/Ho_Chi_Minh" (default: the machine\'s).',
        },
      },
    },
    watch: {
      type: 'object',
      additionalProperties: false,
      description: 'How the agent watches the media and drill logs and the disk locations between runs.',
      properties: {
        settle: {
          ...duration,
          description:
            'A change counts once the file has kept its size and time this long, e.g. "2m" (the default): a backup being written is not read until it is done.',
        },
      },
    },
    report: {
      type: 'object',
      additionalProperties: false,
      description: "Where the agent sends its reports (the collector's API) and how.",
      properties: {
        endpoint: {
          type: 'string',
          pattern: '^https?://',
          description: 'The collector\'s reports URL, e.g. "https://collector.example.vn/api/v1/reports".',
        },
        tokenFile: {
          type: 'string',
          minLength: 1,
          description: 'A file holding the agent token (never the token itself in this file).',
        },
        caFile: {
          type: 'string',
          minLength: 1,
          description: "A PEM file of the CA that signed the collector's certificate.",
        },
        certFile: {
          type: 'string',
          minLength: 1,
          description: 'A PEM client certificate, for a collector that asks for one (mTLS).',
        },
        keyFile: { type: 'string', minLength: 1, description: "The client certificate's PEM private key." },
        outbox: {
          type: 'object',
          additionalProperties: false,
          description:
            'Reports wait on disk until the collector has them; past these bounds the oldest are dropped, counted.',
          properties: {
            maxReports: {
              type: 'integer',
              minimum: 1,
              description: 'At most this many reports wait (default 10000).',
            },
            maxBytes: { ...size, description: 'At most this much waits on disk (default "512MiB").' },
          },
        },
      },
    },
    health: {
      type: 'object',
      additionalProperties: false,
      description: "The agent's local /healthz and /metrics.",
      properties: {
        listen: {
          type: 'string',
          pattern: LISTEN_PATTERN,
          description: 'host:port to answer on, e.g. "127.0.0.1:9321" (default: no listener).',
        },
      },
    },
  },
} as const;

export type RawConfig = FromSchema<typeof configSchema>;
export type RawDiskLocation = FromSchema<typeof diskLocation>;
export type RawS3Location = FromSchema<typeof s3Location>;
export type RawOfflineLogLocation = FromSchema<typeof offlineLogLocation>;
export type RawDataset = FromSchema<typeof dataset>;
export type RawPolicy = FromSchema<{
  type: 'object';
  additionalProperties: false;
  properties: typeof policyProperties;
}>;
