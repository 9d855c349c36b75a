import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics';

/**
 * One JSON line and the request metrics per request, written when the response is sent:
 * method, route (the pattern, never the raw URL), status, duration, request id, the
 * outcome code (OK or the contract's error code), the cache outcome, and the caller's
 * token fingerprint. For a mint request the same line is its audit line (`audit`,
 * registry, role ARN or access key id, access, session name): one write per request.
 */
export function installRequestLog(fastify: FastifyInstance, logger: Logger, metrics: Metrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const code = request.errorCode ?? (reply.statusCode < 400 ? 'OK' : String(reply.statusCode));
    metrics.countRequest(request.method, route, code, reply.elapsedTime / 1000);
    logger.info(
      {
        requestId: request.id,
        method: request.method,
        route,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        code,
        cache: request.cacheOutcome,
        caller: request.apiToken?.fingerprint,
        ...(request.audit ? { audit: 'registry-auth', ...request.audit } : undefined),
      },
      'request',
    );
    done();
  });
}
