// POST /api/v1/reports: an agent's summary report, read under the size limits, checked against the
// schema and the token's agent, then stored once (idempotent on reportId; a changed body is 409).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { routeOf } from '../api-routes.js';
import { readLimitedBody } from '../body.js';
import { type ApiContext, guard } from '../context.js';
import type { IngestOutcomeLabel } from '../metrics.js';
import { apiProblem, isApiProblem } from '../problems.js';
import { receivedBody } from '../store/body.js';

interface Received {
  json: unknown;
  wireBytes: number;
}

const OUTCOME_BY_STATUS: Record<number, IngestOutcomeLabel> = {
  201: 'stored',
  200: 'duplicate',
  409: 'conflict',
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  413: 'too-large',
  415: 'unsupported',
  429: 'rate-limited',
  503: 'unavailable',
};

/** The JSON body parser of the whole app: reads under the limits (gzip inflated on the way). */
export function jsonBodyParser(context: ApiContext) {
  return async (request: FastifyRequest, payload: NodeJS.ReadableStream): Promise<Received> => {
    const length = request.headers['content-length'];
    const { data, wireBytes } = await readLimitedBody(payload as import('node:stream').Readable, {
      encoding: request.headers['content-encoding'],
      contentLength: length === undefined ? undefined : Number(length),
      limits: context.limits,
    });
    try {
      return { json: JSON.parse(data.toString('utf8')), wireBytes };
    } catch (error) {
      throw apiProblem(400, {
        error: 'malformed',
        in: 'body',
        path: '',
        message: `the body is not JSON: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  };
}

export async function reportRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const route = routeOf('postReport');
  app.route({
    method: route.method,
    url: route.url,
    onRequest: guard(context, route.access),
    onResponse: async (request, reply) => {
      const outcome = OUTCOME_BY_STATUS[reply.statusCode] ?? 'unavailable';
      const received = request.body as Received | undefined;
      context.metrics.ingested(outcome, reply.elapsedTime / 1000, received?.wireBytes ?? 0);
    },
    handler: async (request, reply) => {
      const received = request.body as Received | undefined;
      if (received === undefined) {
        throw apiProblem(415, { error: 'unsupported-media-type', message: 'send the report as application/json' });
      }
      const report = context.validate(received.json);
      if (isApiProblem(report)) throw report;
      const identity = context.identities.get(request);
      if (!identity || identity.subject !== report.agent.id) {
        throw apiProblem(403, {
          error: 'forbidden',
          path: '/agent/id',
          in: 'body',
          message: `this token is agent ${JSON.stringify(identity?.subject ?? '')}'s: it may not send agent ${JSON.stringify(report.agent.id)}'s reports`,
        });
      }
      const { outcome } = await context.store.ingest(report, receivedBody(report, received.wireBytes), {
        receivedAt: new Date(context.now()),
        tokenId: identity.tokenId,
      });
      context.logger.info(
        { reportId: report.reportId, agent: report.agent.id, seq: report.seq, outcome, tokenId: identity.tokenId },
        `report ${outcome}`,
      );
      if (outcome === 'conflict') {
        throw apiProblem(409, {
          error: 'conflict',
          message: `report ${report.reportId} was stored before with another body; nothing was written`,
        });
      }
      return reply.code(outcome === 'stored' ? 201 : 200).send({ outcome, reportId: report.reportId });
    },
  });
}
