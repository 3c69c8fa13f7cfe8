// The JSON Schemas of what the API answers: the OpenAPI document's components, and what the tests
// check every answer against, so the document cannot drift from the server.
import { VERDICTS } from '../report-schema/words.js';

const string = { type: 'string' } as const;
const time = { type: 'string', format: 'date-time' } as const;
const nullableTime = { type: ['string', 'null'], format: 'date-time' } as const;
const int = { type: 'integer', minimum: 0 } as const;
const nullableInt = { type: ['integer', 'null'] } as const;
const verdict = { type: 'string', enum: [...VERDICTS] } as const;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` }) as const;
const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
  ...extra,
});
const nextCursor = {
  type: ['string', 'null'],
  description: 'Pass as ?after= (with the same filters) for the next page; null when this page is the last.',
} as const;
const verdictCounts = { compliant: int, atRisk: int, nonCompliant: int, unknown: int };

const agentSummary = {
  id: string,
  instanceId: string,
  hostName: string,
  productVersion: string,
  firstSeenAt: time,
  lastReceivedAt: time,
  lastReportId: string,
  lastSeq: nullableInt,
  lastFinishedAt: time,
  nextRunAt: nullableTime,
  trigger: string,
  verdict,
  silent: { type: 'boolean' },
  status: { type: 'string', enum: [...VERDICTS, 'silent'] },
  instanceCount: int,
  reinstalls: int,
  missingReports: int,
};

const reportMeta = {
  reportId: string,
  agentId: string,
  instanceId: string,
  seq: nullableInt,
  trigger: string,
  startedAt: time,
  finishedAt: time,
  receivedAt: time,
  verdict,
  bytes: int,
};

export const API_SCHEMAS = {
  Problem: object(
    { error: string, message: string },
    {
      description:
        'Every refusal. `error` is a stable word (invalid, malformed, unauthorized, forbidden, not-found, too-large, unsupported-media-type, unsupported-encoding, rate-limited, unavailable); `path` the JSON pointer of what was wrong (of the body, or of the query with `in: query`).',
      properties: {
        error: string,
        message: string,
        path: string,
        in: { type: 'string', enum: ['body', 'query', 'params'] },
        problems: { type: 'array', items: object({ path: string, message: string }) },
        limit: { type: 'string', enum: ['wire', 'inflated'] },
        limitBytes: int,
      },
    },
  ),
  Ingested: object({
    outcome: { type: 'string', enum: ['stored', 'duplicate'] },
    reportId: string,
  }),
  AgentSummary: object(agentSummary),
  Agents: object({ agents: { type: 'array', items: ref('AgentSummary') }, next: nextCursor }),
  SeqGap: object({
    instanceId: string,
    firstSeq: int,
    lastSeq: int,
    missing: int,
    droppedByAgent: { type: 'boolean' },
  }),
  Check: object({ check: string, status: string, reason: string, message: string }),
  Dataset: object({
    agentId: string,
    datasetId: string,
    verdict,
    counts: { type: 'object' },
    checks: { type: 'array', items: ref('Check') },
    newestCopyAt: nullableTime,
    restoreEstimateMs: { type: ['number', 'null'] },
    rtoMs: { type: 'number' },
    reportId: string,
    finishedAt: time,
  }),
  Datasets: object({ datasets: { type: 'array', items: ref('Dataset') }, next: nextCursor }),
  AgentDetail: object({
    ...agentSummary,
    host: { type: 'object' },
    instances: {
      type: 'array',
      items: object({
        instanceId: string,
        firstSeenAt: time,
        lastReceivedAt: time,
        firstFinishedAt: time,
        minSeq: nullableInt,
        maxSeq: nullableInt,
        missingReports: int,
      }),
    },
    gaps: { type: 'array', items: ref('SeqGap') },
    datasets: { type: 'array', items: ref('Dataset') },
  }),
  ReportMeta: object(reportMeta),
  ReportsPage: object({
    reports: { type: 'array', items: ref('ReportMeta') },
    next: { type: ['string', 'null'], description: 'Pass as ?before= for the next (older) page; null at the end.' },
  }),
  StoredReport: object({
    ...reportMeta,
    body: { type: 'object', description: 'The summary report as received (canonical JSON: keys sorted).' },
  }),
  Fleet: object({
    at: time,
    silentAfterSeconds: { type: 'number' },
    agents: int,
    byStatus: object({ ...verdictCounts, silent: int }),
    compliance: object(verdictCounts, {
      description:
        'A silent agent counts as non-compliant here (nonCompliant = byStatus.nonCompliant + byStatus.silent).',
    }),
    datasets: object(verdictCounts),
  }),
  Health: object({ status: { type: 'string', const: 'ok' } }),
} as const;

export type ApiSchemaName = keyof typeof API_SCHEMAS;
