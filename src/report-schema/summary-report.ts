// The summary report's JSON Schema: what an agent sends to the collector, bounded whatever the number
// of copies. Every object accepts fields it does not name (a newer agent talks to an older collector);
// `schemaVersion` is the major version, raised only when a field changes meaning or goes away.
import { summaryDefinition } from './findings.js';
import { partDefinitions, scrubDefinition } from './parts.js';
import { sourceDefinitions } from './sources.js';
import { CHECK_CODES, CHECK_STATUSES, VERDICTS } from './words.js';

export const SUMMARY_SCHEMA_VERSION = 1;
/** Evidence items kept per finding; the totals say how many there were. */
export const SUMMARY_EVIDENCE_ITEMS = 20;
/** Source and drill-log issues kept per source; the total says how many there were. */
export const SUMMARY_ISSUES = 20;
export const TRIGGERS = ['schedule', 'deep', 'watch', 'manual', 'heartbeat'] as const;

const open = { type: 'object', additionalProperties: true } as const;
const count = { type: 'integer', minimum: 0 } as const;
const timestamp = { type: 'string', format: 'date-time' } as const;
const digest = { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' } as const;
const evidenceItems = {
  type: 'array',
  maxItems: SUMMARY_EVIDENCE_ITEMS,
  items: { $ref: '#/definitions/evidenceItem' },
} as const;
const issues = { type: 'array', maxItems: SUMMARY_ISSUES, items: { $ref: '#/definitions/sourceIssue' } } as const;

const summaryFinding = {
  ...open,
  required: ['check', 'status', 'reason', 'params', 'message', 'evidence', 'evidenceTotals'],
  properties: {
    check: { enum: CHECK_CODES },
    status: { enum: CHECK_STATUSES },
    reason: { type: 'string' },
    params: { type: 'object', additionalProperties: { $ref: '#/definitions/scalar' } },
    message: { type: 'string' },
    evidence: {
      ...open,
      description: `At most ${SUMMARY_EVIDENCE_ITEMS} copies in all, those not counted first.`,
      properties: {
        counted: evidenceItems,
        notCounted: evidenceItems,
        arithmetic: { type: 'object', additionalProperties: { $ref: '#/definitions/scalar' } },
        unreadable: { type: 'array', items: { type: 'string' } },
        drill: { type: 'string' },
      },
    },
    evidenceTotals: {
      ...open,
      required: ['counted', 'notCounted'],
      properties: { counted: count, notCounted: count },
    },
  },
} as const;

const summaryDataset = {
  ...open,
  required: ['id', 'verdict', 'counts', 'newestCopyAt', 'restoreEstimateMs', 'rtoMs', 'findings'],
  properties: {
    id: { type: 'string', minLength: 1 },
    verdict: { enum: VERDICTS },
    counts: {
      ...open,
      required: ['copies', 'usable', 'devices', 'media', 'offline'],
      properties: { copies: count, usable: count, devices: count, media: count, offline: count },
    },
    /** The newest usable copy's data time; null when there is none. */
    newestCopyAt: { anyOf: [timestamp, { type: 'null' }] },
    restoreEstimateMs: { anyOf: [{ type: 'number', minimum: 0 }, { type: 'null' }] },
    rtoMs: { type: 'number', minimum: 0 },
    findings: { type: 'array', items: summaryFinding },
  },
} as const;

export const summaryReportSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://backup321.dev/schema/summary-report.schema.json',
  title: 'backup321 summary report',
  description:
    'What an agent sends to the collector after each run (src/report-schema/summary-report.ts): the report without its copy list, bounded in size, with what the fleet needs (instance, sequence, trigger, digests).',
  ...open,
  required: [
    'kind',
    'schemaVersion',
    'reportId',
    'product',
    'agent',
    'seq',
    'trigger',
    'startedAt',
    'finishedAt',
    'nextRunAt',
    'configDigest',
    'inventoryDigest',
    'run',
    'policy',
    'datasets',
    'sources',
    'drills',
    'summary',
  ],
  properties: {
    kind: { const: 'summary' },
    schemaVersion: { const: SUMMARY_SCHEMA_VERSION },
    reportId: { type: 'string', minLength: 1, description: 'Unique per report; the collector drops duplicates by it.' },
    product: {
      ...open,
      required: ['name', 'version'],
      properties: { name: { const: 'backup321' }, version: { type: 'string' } },
    },
    agent: {
      ...open,
      required: ['id', 'instanceId', 'host'],
      properties: {
        id: { type: 'string', minLength: 1 },
        instanceId: {
          type: 'string',
          minLength: 1,
          description: 'New for each state dir: a reinstalled agent is a new instance.',
        },
        host: { $ref: '#/definitions/hostFacts' },
      },
    },
    seq: {
      anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }],
      description:
        "1, 2, 3 … per instance, never reused; null for a run outside the agent's sequence (verify by hand).",
    },
    trigger: { enum: TRIGGERS },
    startedAt: { ...timestamp, description: 'When the run started: the clock its ages were judged by.' },
    finishedAt: timestamp,
    nextRunAt: {
      anyOf: [timestamp, { type: 'null' }],
      description: 'When the agent runs next; null outside the agent.',
    },
    configDigest: { ...digest, description: 'sha256 of the resolved config as canonical JSON.' },
    inventoryDigest: {
      ...digest,
      description:
        'sha256 over the copy list sorted by copy id, a line per copy: id, bytes, modification time, sha256.',
    },
    run: {
      ...open,
      required: ['deep', 'datasetsSelected', 'durationMs'],
      properties: {
        deep: { type: 'boolean' },
        datasetsSelected: { anyOf: [{ type: 'null' }, { type: 'array', items: { type: 'string' } }] },
        durationMs: { type: 'number', minimum: 0 },
        scrub: { $ref: '#/definitions/scrub' },
      },
    },
    policy: { $ref: '#/definitions/effectivePolicy' },
    datasets: { type: 'array', items: summaryDataset },
    sources: {
      type: 'array',
      items: {
        ...open,
        required: ['id', 'type', 'status', 'copies', 'issues', 'issuesTotal', 'durationMs'],
        properties: {
          id: { type: 'string' },
          type: { type: 'string' },
          status: { type: 'string' },
          copies: count,
          issues,
          issuesTotal: count,
          durationMs: { type: 'number', minimum: 0 },
        },
      },
    },
    drills: {
      ...open,
      required: ['configured', 'readable', 'records', 'issues', 'issuesTotal'],
      properties: {
        configured: { type: 'boolean' },
        readable: { type: 'boolean' },
        records: count,
        issues,
        issuesTotal: count,
      },
    },
    summary: { ...summaryDefinition, additionalProperties: true },
    delivery: {
      ...open,
      required: ['droppedReports', 'firstDroppedSeq', 'lastDroppedSeq'],
      description:
        "Reports of this instance the agent's outbox dropped, unsent, since the last report that said so (the outbox was full for long).",
      properties: {
        droppedReports: count,
        firstDroppedSeq: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] },
        lastDroppedSeq: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] },
      },
    },
  },
  definitions: {
    ...partDefinitions,
    hostFacts: { ...partDefinitions.hostFacts, additionalProperties: true },
    effectivePolicy: { ...partDefinitions.effectivePolicy, additionalProperties: true },
    evidenceItem: { ...partDefinitions.evidenceItem, additionalProperties: true },
    sourceIssue: { ...sourceDefinitions.sourceIssue, additionalProperties: true },
    scrub: { ...scrubDefinition, additionalProperties: true },
  },
} as const;
