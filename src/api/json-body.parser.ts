import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { EcrAuthError } from '../errors/ecr-auth.error';

// JSON text is UTF-8 (RFC 8259): a body that is not is refused, not repaired with U+FFFD.
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const TOO_LARGE =
  'The request body is over the size limit (ECR_AUTH_MAX_BODY_BYTES); send only the registry and its key.';

/**
 * The service's only body parsers: `application/json` read within the body limit (Fastify's
 * `bodyLimit`, ECR_AUTH_MAX_BODY_BYTES), and every other media type refused. Each
 * failure is the catalogue's error where it arises: 413, 415, or 400 for a body that is empty,
 * cut short or not JSON. Prototype keys are refused by the body schema (api/request-body.ts),
 * once for every route: plain JSON.parse keeps `__proto__` as an own key and pollutes nothing.
 */
export function installJsonBodyParser(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  // One limit for every route (no route sets its own): read once, not through the per-request
  // `routeOptions` getter, which builds an object on every call.
  const limit = fastify.initialConfig.bodyLimit ?? 0;
  fastify.addContentTypeParser('application/json', (_request: FastifyRequest, payload: IncomingMessage, done) =>
    readJson(payload, limit, done),
  );
  fastify.addContentTypeParser('*', (_request, _payload, done) =>
    done(new EcrAuthError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON with Content-Type: application/json.')),
  );
}

function readJson(payload: IncomingMessage, limit: number, done: (error: Error | null, body?: unknown) => void): void {
  const declared = payload.headers['content-length'];
  const expected = declared === undefined ? undefined : Number(declared);
  // Past the limit by its own account: answered at once, the rest is not read.
  if (expected !== undefined && expected > limit) return done(new EcrAuthError('PAYLOAD_TOO_LARGE', TOO_LARGE));
  const chunks: Buffer[] = [];
  let received = 0;
  let settled = false;
  const finish = (error: Error | null, body?: unknown) => {
    if (settled) return;
    settled = true;
    payload.off('data', onData);
    done(error, body);
  };
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit) {
      payload.pause();
      return finish(new EcrAuthError('PAYLOAD_TOO_LARGE', TOO_LARGE));
    }
    chunks.push(chunk);
  };
  payload.on('data', onData);
  payload.on('error', () =>
    finish(new EcrAuthError('INVALID_REQUEST', 'The request body was cut short: send it whole.')),
  );
  payload.on('end', () => {
    if (expected !== undefined && received !== expected) {
      return finish(new EcrAuthError('INVALID_REQUEST', 'The Content-Length header does not match the body.'));
    }
    let text: string;
    try {
      text = UTF8.decode(Buffer.concat(chunks, received));
    } catch {
      return finish(new EcrAuthError('INVALID_REQUEST', 'The body is not valid UTF-8: send JSON text.'));
    }
    if (text.trim() === '')
      return finish(new EcrAuthError('INVALID_REQUEST', 'The body is empty: send a JSON object.'));
    try {
      finish(null, JSON.parse(text));
    } catch {
      finish(new EcrAuthError('INVALID_REQUEST', 'The body is not valid JSON: send a JSON object.'));
    }
  });
}
