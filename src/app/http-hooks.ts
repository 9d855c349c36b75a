import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Admission } from '../auth/admission';
import { EcrAuthError } from '../errors/ecr-auth.error';
import type { Readiness } from '../health/readiness';
import type { InFlightRequests } from './in-flight';

/** A request that arrives on an open connection once shutdown has begun. */
const DRAINING = new EcrAuthError(
  'UPSTREAM_UNAVAILABLE',
  'This replica is shutting down: retry, another replica answers.',
  {
    retryAfterSeconds: 1,
  },
);

/** Routes that answer without a token: probes of the orchestrator. */
const OPEN_PATHS = new Set(['/health/live', '/health/ready']);

export type AnswerHeaders = (reply: FastifyReply, requestId: string) => void;

/**
 * The headers of every answer, set once per request (in onRequest, or for routing errors,
 * which come before any hook): credentials are never cached nor sniffed into another type;
 * with TLS, clients keep to HTTPS.
 */
export function answerHeaders(tls: boolean): AnswerHeaders {
  return (reply, requestId) => {
    reply.header('x-request-id', requestId);
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    if (tls) reply.header('strict-transport-security', 'max-age=31536000');
  };
}

/**
 * The request hooks: the answer's headers and the admission (bearer check, rate limit) in
 * `onRequest`, before any body is read, so an unauthenticated or over-eager caller gets 401 /
 * 429 whatever it sends and costs no parsing; while draining, answers close their connection
 * so keep-alive clients let shutdown finish. The browser-page headers (CSP, frame options,
 * referrer policy) are left out: no answer is a document a browser renders.
 */
export function installRequestHooks(
  fastify: FastifyInstance,
  admission: Admission,
  readiness: Readiness,
  setHeaders: AnswerHeaders,
  inFlight: InFlightRequests,
): void {
  // Every field the request line reads, on every request from its start: one object shape.
  for (const field of ['caller', 'errorCode', 'cacheOutcome', 'audit', 'traceId'] as const)
    fastify.decorateRequest(field, undefined);
  // Callback-style hooks: an async hook costs a promise per request.
  fastify.addHook('onRequest', (request, reply, done) => {
    setHeaders(reply, request.id);
    inFlight.track(reply);
    const q = request.url.indexOf('?');
    if (OPEN_PATHS.has(q < 0 ? request.url : request.url.slice(0, q))) return done();
    if (readiness.current === 'draining') return done(DRAINING);
    let admitted: ReturnType<Admission['admit']>;
    try {
      admitted = admission.admit(request.headers.authorization, request.ip);
    } catch (e) {
      return done(e as Error);
    }
    if (!(admitted instanceof Promise)) {
      request.caller = admitted;
      return done();
    }
    admitted.then(
      (caller) => {
        request.caller = caller;
        done();
      },
      (e: unknown) => done(e as Error),
    );
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (readiness.current === 'draining') reply.header('connection', 'close');
    done(null, payload);
  });
}
