import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics';
import { recordRequest } from './request-line';

/** The request line of every request Fastify serves, written when its answer is sent. */
export function installRequestLog(fastify: FastifyInstance, logger: Logger, metrics: Metrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    recordRequest(logger, metrics, {
      requestId: String(request.id),
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      seconds: reply.elapsedTime / 1000,
      code: request.errorCode ?? (reply.statusCode < 400 ? 'OK' : String(reply.statusCode)),
      cache: request.cacheOutcome,
      caller: request.caller?.fingerprint ?? request.caller?.subject,
      issuer: request.caller?.issuer,
      audit: request.audit,
      traceId: request.traceId,
    });
    done();
  });
}
