// Every route of the API in one table: fastify registers their parameter schemas from it, and the
// OpenAPI document (openapi.ts) is written from it, so the two say the same.
import { VERDICTS } from '../report-schema/words.js';
import type { ApiSchemaName } from './api-schemas.js';

/** Who may call a route: nobody's token (public), any valid one, a reader's, a reader's or the agent's own. */
export type Access = 'public' | 'any-token' | 'reader' | 'reader-or-own-agent' | 'own-agent-post';

export interface Answer {
  description: string;
  /** A component schema (JSON), or another media type with its schema. */
  schema?: ApiSchemaName;
  media?: { type: string; schema: Record<string, unknown> };
  headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
}

export interface ApiRoute {
  method: 'GET' | 'POST';
  url: string;
  operationId: string;
  summary: string;
  access: Access;
  params?: Record<string, unknown>;
  querystring?: Record<string, unknown>;
  /** The request body (POST): a component of the OpenAPI document. */
  body?: string;
  answers: Record<number, Answer>;
}

const retryAfter = {
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } },
};
const problem = (description: string, extra: Partial<Answer> = {}): Answer => ({
  description,
  schema: 'Problem',
  ...extra,
});
const AUTH_ANSWERS: Record<number, Answer> = {
  401: problem('No token, or one the collector does not know.'),
  403: problem('A revoked token, or one that may not see this.'),
  429: problem(
    "The token's rate limit, or too many requests without a valid token from this address: try again after Retry-After.",
    { headers: retryAfter },
  ),
  503: problem('The database is unavailable, or the collector is stopping: try again after Retry-After.', {
    headers: retryAfter,
  }),
};
const agentParam = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 256 } },
};

/** The list routes' pages: keyset, so a page is the same however many agents report meanwhile. */
export const LIST_PAGE = { default: 100, max: 1000 } as const;
const pageParams = {
  limit: { type: 'integer', minimum: 1, maximum: LIST_PAGE.max, default: LIST_PAGE.default },
  after: {
    type: 'string',
    minLength: 1,
    maxLength: 8192,
    description: "The previous page's `next` (an opaque cursor).",
  },
};
const pageHeaders = {
  Link: {
    description: 'With more to read: `<URL>; rel="next"`, this request with `after` set to `next`.',
    schema: { type: 'string' },
  },
};

export const API_ROUTES: ApiRoute[] = [
  {
    method: 'POST',
    url: '/api/v1/reports',
    operationId: 'postReport',
    summary:
      "An agent sends a summary report (its own agent's only). Idempotent on reportId: the same body again is 200, another body 409 (never overwritten).",
    access: 'own-agent-post',
    body: 'SummaryReport',
    answers: {
      201: { description: 'Stored.', schema: 'Ingested' },
      200: { description: 'Already stored: the same reportId with the same body.', schema: 'Ingested' },
      400: problem(
        'Not a valid summary report (path: the JSON pointer of the first problem), or malformed JSON or gzip.',
      ),
      ...AUTH_ANSWERS,
      403: problem("A revoked token, or the report of another agent than the token's."),
      409: problem('The same reportId was stored with another body; nothing was written.'),
      413: problem('Larger than the limit on the wire or once inflated; refused while reading.'),
      415: problem('Not application/json, or a Content-Encoding other than gzip or identity.'),
    },
  },
  {
    method: 'GET',
    url: '/api/v1/agents',
    operationId: 'listAgents',
    summary:
      'The agents with their latest state and status (silent, or their worst dataset verdict), by id, a page at a time.',
    access: 'reader',
    querystring: {
      type: 'object',
      properties: {
        ...pageParams,
        verdict: {
          type: 'string',
          enum: [...VERDICTS],
          description: "The agent's worst dataset verdict (silent or not; unknown: no dataset).",
        },
        silent: {
          type: 'boolean',
          description: 'true: only the silent agents; false: only those heard from within --silent-after.',
        },
        name: {
          type: 'string',
          minLength: 1,
          maxLength: 200,
          description: "Part of the agent's id or host name, any case.",
        },
      },
    },
    answers: {
      200: { description: 'One page of agents, by id.', schema: 'Agents', headers: pageHeaders },
      400: problem('A limit out of 1–1000, an `after` this collector did not give, or an unknown verdict.'),
      ...AUTH_ANSWERS,
    },
  },
  {
    method: 'GET',
    url: '/api/v1/agents/:id',
    operationId: 'getAgent',
    summary: "One agent: its latest state, instances, seq gaps ('reports missing') and datasets.",
    access: 'reader-or-own-agent',
    params: agentParam,
    answers: {
      200: { description: 'The agent.', schema: 'AgentDetail' },
      ...AUTH_ANSWERS,
      404: problem('No agent by that id.'),
    },
  },
  {
    method: 'GET',
    url: '/api/v1/agents/:id/reports',
    operationId: 'listAgentReports',
    summary: "An agent's reports, newest first (by finishedAt), a page at a time.",
    access: 'reader-or-own-agent',
    params: agentParam,
    querystring: {
      type: 'object',
      properties: {
        limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
        before: { type: 'string', minLength: 1, maxLength: 512, description: "The previous page's `next`." },
      },
    },
    answers: {
      200: { description: 'One page.', schema: 'ReportsPage' },
      400: problem('A limit out of 1–500, or a `before` this collector did not give.'),
      ...AUTH_ANSWERS,
    },
  },
  {
    method: 'GET',
    url: '/api/v1/agents/:id/reports/:reportId',
    operationId: 'getAgentReport',
    summary: 'One stored report of the agent, with its body.',
    access: 'reader-or-own-agent',
    params: {
      type: 'object',
      required: ['id', 'reportId'],
      properties: { id: agentParam.properties.id, reportId: { type: 'string', minLength: 1, maxLength: 512 } },
    },
    answers: {
      200: { description: 'The report.', schema: 'StoredReport' },
      ...AUTH_ANSWERS,
      404: problem('No such report of that agent (or pruned by the retention).'),
    },
  },
  {
    method: 'GET',
    url: '/api/v1/datasets',
    operationId: 'listDatasets',
    summary:
      "Every agent's latest datasets, filtered by verdict, agent, dataset id, or a check's status, by agent then dataset id, a page at a time.",
    access: 'reader',
    querystring: {
      type: 'object',
      properties: {
        ...pageParams,
        verdict: { type: 'string', enum: [...VERDICTS] },
        agent: { type: 'string', minLength: 1, maxLength: 256 },
        dataset: {
          type: 'string',
          minLength: 1,
          maxLength: 256,
          description: 'One dataset id (exact) across the fleet.',
        },
        check: { type: 'string', minLength: 1, maxLength: 64 },
        status: { type: 'string', minLength: 1, maxLength: 32, description: 'With check: its latest status.' },
      },
    },
    answers: {
      200: { description: 'One page of datasets, by agent and dataset id.', schema: 'Datasets', headers: pageHeaders },
      400: problem(
        'A limit out of 1–1000, an `after` this collector did not give, or a verdict that is not one of compliant, at-risk, non-compliant, unknown.',
      ),
      ...AUTH_ANSWERS,
    },
  },
  {
    method: 'GET',
    url: '/api/v1/fleet',
    operationId: 'getFleet',
    summary:
      'The fleet summary counts: agents by status, compliance totals (silent counts as non-compliant), datasets by verdict.',
    access: 'reader',
    answers: { 200: { description: 'The counts.', schema: 'Fleet' }, ...AUTH_ANSWERS },
  },
  {
    method: 'GET',
    url: '/api/v1/export.csv',
    operationId: 'exportCsv',
    summary: 'The fleet status for auditors, as CSV (RFC 4180): one row per agent × dataset × check.',
    access: 'reader',
    answers: {
      200: {
        description:
          'text/csv; header row first. Cells starting with = + - @ (or a tab or CR) get a leading apostrophe.',
        media: { type: 'text/csv', schema: { type: 'string' } },
      },
      ...AUTH_ANSWERS,
    },
  },
  {
    method: 'GET',
    url: '/api/v1/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This document.',
    access: 'any-token',
    answers: {
      200: { description: 'OpenAPI 3.1.', media: { type: 'application/json', schema: { type: 'object' } } },
      ...AUTH_ANSWERS,
    },
  },
  {
    method: 'GET',
    url: '/metrics',
    operationId: 'getMetrics',
    summary: 'Prometheus metrics: ingest counts and latency, agents by status, store errors, retention.',
    access: 'reader',
    answers: {
      200: { description: 'Prometheus text format 0.0.4.', media: { type: 'text/plain', schema: { type: 'string' } } },
      ...AUTH_ANSWERS,
    },
  },
  {
    method: 'GET',
    url: '/healthz',
    operationId: 'getHealth',
    summary: 'Only that the process is up (no token, and nothing about the fleet).',
    access: 'public',
    answers: { 200: { description: 'Up.', schema: 'Health' } },
  },
];

export function routeOf(operationId: string): ApiRoute {
  const route = API_ROUTES.find((r) => r.operationId === operationId);
  if (!route) throw new Error(`no API route ${operationId}`);
  return route;
}
