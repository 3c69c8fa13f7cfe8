// The GET routes: the fleet, agents, their reports and datasets, the auditors' CSV, the OpenAPI
// document and /metrics, each behind its access rule (api-routes.ts); /healthz says only "up".
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { API_ROUTES, LIST_PAGE } from '../api-routes.js';
import { type ApiContext, guard, liveness } from '../context.js';
import { Readable } from 'node:stream';
import { fleetCsvChunks } from '../export-csv.js';
import { openApiDocument } from '../openapi.js';
import { cursorOf, keyOf, nextPageUrl } from '../page-cursor.js';
import { apiProblem } from '../problems.js';
import { StoreError } from '../store/errors.js';
import type { DatasetFilter } from '../store/types.js';

type Params = { id: string; reportId: string };
type Query = {
  limit?: number;
  before?: string;
  after?: string;
  verdict?: DatasetFilter['verdict'];
  agent?: string;
  dataset?: string;
  check?: string;
  status?: string;
  silent?: boolean;
  name?: string;
};

const notFound = (message: string) => apiProblem(404, { error: 'not-found', message });

const badCursor = (name: 'before' | 'after') =>
  apiProblem(400, {
    error: 'invalid',
    in: 'query',
    path: `/${name}`,
    message: `${name}: a cursor this collector did not give`,
  });

/** The key an `after` cursor holds (undefined: the first page); 400 for one we did not write. */
function afterKey(query: Query, size: number): string[] | undefined {
  if (query.after === undefined) return undefined;
  const key = keyOf(query.after, size);
  if (key === null) throw badCursor('after');
  return key;
}

/** A page's `next`, also as a Link header (RFC 8288) to the same request with `after` set. */
function withNext<T extends object>(
  request: FastifyRequest,
  reply: FastifyReply,
  page: T,
  nextKey: readonly string[] | null,
) {
  const next = nextKey === null ? null : cursorOf(nextKey);
  if (next !== null) reply.header('link', `<${nextPageUrl(request.url, next)}>; rel="next"`);
  return { ...page, next };
}

function handlers(context: ApiContext): Record<string, RouteHandlerMethod> {
  const { store } = context;
  const document = JSON.stringify(openApiDocument());
  return {
    listAgents: async (request, reply) => {
      const query = request.query as Query;
      const limit = query.limit ?? LIST_PAGE.default;
      const [after] = afterKey(query, 1) ?? [];
      const page = await store.agentsPage(
        {
          sort: 'name',
          limit,
          ...(after === undefined ? {} : { after }),
          ...(query.verdict ? { verdict: query.verdict } : {}),
          ...(query.silent === undefined ? {} : { silent: query.silent }),
          ...(query.name ? { name: query.name } : {}),
        },
        liveness(context),
      );
      const last = page.agents.at(-1);
      return withNext(request, reply, { agents: page.agents }, page.more && last ? [last.id] : null);
    },
    getAgent: async (request) => {
      const { id } = request.params as Params;
      return (await store.agent(id, liveness(context))) ?? Promise.reject(notFound(`no agent ${JSON.stringify(id)}`));
    },
    listAgentReports: async (request) => {
      const { id } = request.params as Params;
      const { limit = 50, before } = request.query as Query;
      try {
        return await store.reports(id, { limit, before: before ?? null });
      } catch (error) {
        if (error instanceof StoreError && error.code === 'B321_STORE_CURSOR') throw badCursor('before');
        throw error;
      }
    },
    getAgentReport: async (request) => {
      const { id, reportId } = request.params as Params;
      const report = await store.report(reportId);
      if (!report || report.agentId !== id)
        throw notFound(`agent ${JSON.stringify(id)} has no report ${JSON.stringify(reportId)}`);
      return report;
    },
    listDatasets: async (request, reply) => {
      const query = request.query as Query;
      const { verdict, agent, dataset, check, status } = query;
      const filter: DatasetFilter = {
        ...(verdict ? { verdict } : {}),
        ...(agent ? { agentId: agent } : {}),
        ...(dataset ? { datasetId: dataset } : {}),
        ...(check ? { check } : {}),
        ...(status ? { status } : {}),
      };
      const [agentId, datasetId] = afterKey(query, 2) ?? [];
      const page = await store.datasetsAfter(filter, {
        limit: query.limit ?? LIST_PAGE.default,
        ...(agentId === undefined || datasetId === undefined ? {} : { after: { agentId, datasetId } }),
      });
      const last = page.datasets.at(-1);
      return withNext(
        request,
        reply,
        { datasets: page.datasets },
        page.more && last ? [last.agentId, last.datasetId] : null,
      );
    },
    getFleet: async () => {
      const now = liveness(context);
      return {
        at: now.now.toISOString(),
        silentAfterSeconds: context.silentAfterMs / 1000,
        ...(await store.fleet(now)),
      };
    },
    exportCsv: async (_request, reply) => {
      const day = new Date(context.now()).toISOString().slice(0, 10);
      // Streamed: at 10,000 agents × 20 datasets the file is ≈ 1.4 M rows; a chunk of agents at a time,
      // the next one read only once the last is on its way (one chunk buffered).
      return reply
        .type('text/csv; charset=utf-8; header=present')
        .header('content-disposition', `attachment; filename="backup321-fleet-${day}.csv"`)
        .send(Readable.from(fleetCsvChunks(store, liveness(context)), { highWaterMark: 1 }));
    },
    getOpenApi: async (_request, reply) => reply.type('application/json; charset=utf-8').send(document),
    getMetrics: async (_request, reply) =>
      reply.type(context.metrics.registry.contentType).send(await context.metrics.page()),
    getHealth: async () => ({ status: 'ok' }),
  };
}

export async function readRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const byOperation = handlers(context);
  for (const route of API_ROUTES) {
    if (route.method !== 'GET') continue;
    const handler = byOperation[route.operationId];
    if (!handler) throw new Error(`no handler for ${route.operationId}`);
    app.route({
      method: 'GET',
      url: route.url,
      schema: {
        ...(route.params ? { params: route.params } : {}),
        ...(route.querystring ? { querystring: route.querystring } : {}),
      },
      onRequest: guard(context, route.access),
      handler,
    });
  }
}
