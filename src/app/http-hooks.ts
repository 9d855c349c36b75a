import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Admission } from '../api/admission';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { toErrorResponse } from '../errors/error-response';
import type { Readiness } from '../health/readiness';

/** Routes that answer without a token: probes of the orchestrator. */
const OPEN_PATHS = new Set(['/health/live', '/health/ready']);

/**
 * The bearer check and the rate limit, in `onRequest`: before any body is read, so an
 * unauthenticated or over-eager caller gets 401 / 429 whatever it sends, and costs no parsing.
 */
export function installBearerAuth(fastify: FastifyInstance, admission: Admission): void {
  fastify.decorateRequest('apiToken', undefined);
  // Callback-style hooks: an async hook costs a promise per request on the hot path.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    // Every answer: credentials are never cached nor sniffed into another type. Set here,
    // where the request id is set, rather than in a hook of its own: hooks cost per request.
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    const q = request.url.indexOf('?');
    if (OPEN_PATHS.has(q < 0 ? request.url : request.url.slice(0, q))) return done();
    try {
      request.apiToken = admission.admit(request.headers.authorization, request.ip);
      done();
    } catch (e) {
      done(e as EcrAuthError);
    }
  });
}

/**
 * Headers decided when the answer is sent. `no-store` and `nosniff` are set with the request
 * id in onRequest; with TLS, clients are told to keep to HTTPS. The browser-page headers
 * (CSP, frame options, referrer policy) are left out: no answer is a document a browser
 * renders, and each header costs on every request (five of them cost a fifth of a cache
 * hit). While draining, answers close their connection so keep-alive clients let shutdown
 * finish.
 */
export function installResponseHeaders(fastify: FastifyInstance, readiness: Readiness, tls: boolean): void {
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (tls) reply.header('strict-transport-security', 'max-age=31536000');
    if (readiness.current === 'draining') reply.header('connection', 'close');
    done(null, payload);
  });
}

/**
 * Fastify's own routing errors (a path with invalid percent-encoding, say) answered as the
 * contract's errors, with a request id, instead of Fastify's default body.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const response = toErrorResponse(error, String(request.id));
  request.errorCode = response.body.code;
  void reply.status(response.status).headers(response.headers).send(response.body);
}

/**
 * Requests Node's HTTP parser refuses (bad bytes in the request line, a header block over
 * the limit) never reach Fastify: answer the contract's 400 and close the connection, so a
 * keep-alive client knows the socket is gone.
 */
export function clientErrorHandler(_error: Error, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({
    statusCode: 400,
    code: 'INVALID_REQUEST',
    message: 'The request is not valid HTTP (malformed request line or headers, or headers over the size limit).',
    requestId: randomUUID(),
  });
  socket.end(
    `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncache-control: no-store\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
