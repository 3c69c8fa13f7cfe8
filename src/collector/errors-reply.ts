// How an error becomes an answer: our problems as they are, fastify's (media type, validation) in
// the same shape, anything else is the store failing: 503 with Retry-After, logged, counted.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { CollectorMetrics } from './metrics.js';
import { type ApiProblem, apiProblem, isApiProblem } from './problems.js';

const STORE_RETRY_AFTER_S = 5;

function fastifyProblem(error: FastifyError): ApiProblem | undefined {
  if (error.validation) {
    const first = error.validation[0];
    const where = error.validationContext === 'querystring' ? 'query' : 'params';
    const missing = (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
    const path = `${first?.instancePath ?? ''}${missing ? `/${missing}` : ''}`;
    return apiProblem(400, {
      error: 'invalid',
      in: where,
      path,
      message: `${path.slice(1) || where}: ${first?.message ?? 'is not valid'}`,
    });
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return apiProblem(415, { error: 'unsupported-media-type', message: 'send the report as application/json' });
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return apiProblem(error.statusCode, { error: 'bad-request', message: error.message });
  }
  return undefined;
}

export function errorReplier(logger: Logger, metrics: CollectorMetrics) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const problem = isApiProblem(error) ? error : fastifyProblem(error);
    if (problem) return reply.code(problem.status).headers(problem.headers).send(problem.body);
    metrics.storeError(request.routeOptions.url === '/api/v1/reports' ? 'ingest' : 'read');
    // The message only: a driver's error never holds the token (only its hash is ever queried).
    logger.error(
      { err: { message: error.message, code: error.code }, url: request.routeOptions.url },
      'the store failed',
    );
    return reply
      .code(503)
      .header('retry-after', String(STORE_RETRY_AFTER_S))
      .send({ error: 'unavailable', message: 'the collector cannot reach its database; try again later' });
  };
}
