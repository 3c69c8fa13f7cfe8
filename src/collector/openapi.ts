// The OpenAPI 3.1 document of the API, written from the route table and the answer schemas; the
// request body's schema is the summary report's own (its $id keeps its internal $refs resolving).
import { summaryReportSchema } from '../report-schema/summary-report.js';
import { PRODUCT_VERSION } from '../version.js';
import { type Access, API_ROUTES, type ApiRoute } from './api-routes.js';
import { API_SCHEMAS } from './api-schemas.js';

const ACCESS_WORDS: Record<Access, string> = {
  public: 'No token.',
  'any-token': 'Any valid token (agent or reader).',
  reader: 'A reader token.',
  'reader-or-own-agent': "A reader token, or the agent's own token.",
  'own-agent-post': "The agent's own agent token (report.agent.id must be the token's agent).",
};

const openApiPath = (url: string) => url.replace(/:([A-Za-z]+)/g, '{$1}');

function parameters(route: ApiRoute): unknown[] {
  const list = (where: 'path' | 'query', schema: Record<string, unknown> | undefined) => {
    const properties = (schema?.properties ?? {}) as Record<string, Record<string, unknown>>;
    const required = (schema?.required ?? []) as string[];
    return Object.entries(properties).map(([name, { description, ...property }]) => ({
      name,
      in: where,
      required: where === 'path' || required.includes(name),
      ...(description === undefined ? {} : { description }),
      schema: property,
    }));
  };
  return [...list('path', route.params), ...list('query', route.querystring)];
}

function operation(route: ApiRoute): Record<string, unknown> {
  const responses = Object.fromEntries(
    Object.entries(route.answers).map(([status, answer]) => {
      const content = answer.schema
        ? { 'application/json': { schema: { $ref: `#/components/schemas/${answer.schema}` } } }
        : answer.media
          ? { [answer.media.type]: { schema: answer.media.schema } }
          : undefined;
      return [
        status,
        {
          description: answer.description,
          ...(content ? { content } : {}),
          ...(answer.headers ? { headers: answer.headers } : {}),
        },
      ];
    }),
  );
  const params = parameters(route);
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: `Access: ${ACCESS_WORDS[route.access]}`,
    security:
      route.access === 'public'
        ? []
        : route.access === 'own-agent-post'
          ? [{ bearer: [] }]
          : [{ bearer: [] }, { session: [] }],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            description: 'application/json, optionally Content-Encoding: gzip.',
            content: { 'application/json': { schema: { $ref: `#/components/schemas/${route.body}` } } },
          },
        }
      : {}),
    responses,
  };
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) {
    const path = openApiPath(route.url);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'backup321 collector API',
      version: PRODUCT_VERSION,
      description: 'Agents post summary reports; readers see the fleet. docs/collector-api.md explains each part.',
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An agent token (b321a_…) or a reader token (b321r_…).',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'b321_session',
          description: "The dashboard's login cookie (its value is a reader token); GET only.",
        },
      },
      schemas: { ...API_SCHEMAS, SummaryReport: summaryReportSchema },
    },
  };
}
