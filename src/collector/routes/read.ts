// The GET routes: the fleet, agents, their reports and datasets, the auditors' CSV, the OpenAPI
// document and /metrics, each behind its access rule (api-routes.ts); /healthz says only "up".
import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import { API_ROUTES } from '../api-routes.js';
import { type ApiContext, guard, liveness } from '../context.js';
import { Readable } from 'node:stream';
import { fleetCsvChunks } from '../export-csv.js';
import { openApiDocument } from '../openapi.js';
import { apiProblem } from '../problems.js';
import { StoreError } from '../store/errors.js';
import type { DatasetFilter } from '../store/types.js';

type Params = { id: string; reportId: string };
type Query = {
  limit?: number;
  before?: string;
  verdict?: DatasetFilter['verdict'];
  agent?: string;
  check?: string;
  status?: string;
};

const notFound = (message: string) => apiProblem(404, { error: 'not-found', message });

function handlers(context: ApiContext): Record<string, RouteHandlerMethod> {
  const { store } = context;
  const document = JSON.stringify(openApiDocument());
  return {
    listAgents: async () => ({ agents: await store.agents(liveness(context)) }),
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
        if (error instanceof StoreError && error.code === 'B321_STORE_CURSOR') {
          throw apiProblem(400, {
            error: 'invalid',
            in: 'query',
            path: '/before',
            message: 'before: a cursor this collector did not give',
          });
        }
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
    listDatasets: async (request) => {
      const { verdict, agent, check, status } = request.query as Query;
      const filter: DatasetFilter = {
        ...(verdict ? { verdict } : {}),
        ...(agent ? { agentId: agent } : {}),
        ...(check ? { check } : {}),
        ...(status ? { status } : {}),
      };
      return { datasets: await store.datasets(filter) };
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
