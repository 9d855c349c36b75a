import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { parse as secureParse } from 'secure-json-parse';
import type { CacheOutcome } from '../token-cache/token-cache.service';
import { auditFields, AuditFields, RegistryCredentialsService } from '../credentials/registry-credentials.service';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { toErrorResponse } from '../errors/error-response';
import type { Readiness } from '../health/readiness';
import { requestIdOf } from '../logging/logger.options';
import type { Metrics } from '../metrics/metrics';
import type { RateLimiter } from '../rate-limit/rate-limiter';
import type { ApiToken } from '../config/app-config';
import { describeCause } from '../errors/http-error.filter';
import type { BearerAuth } from './bearer-auth';
import { parseBody, registryAuthBody } from './request-body';

export interface FastPathDeps {
  readonly auth: BearerAuth;
  readonly limiter: RateLimiter;
  readonly credentials: RegistryCredentialsService;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  readonly maxBodyBytes: number;
  readonly tls: boolean;
}

const ROUTE = '/registry-auth';
const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * POST /registry-auth on node:http, ahead of Fastify: the service's hot path. Fastify's
 * request lifecycle (hooks, content-type parsing, reply serialisation) cost more than half of
 * a cache hit (docs/benchmarks.md). The same contract as everywhere: the bearer token before
 * the body, the rate limit, 413/415/400 with the contract's codes, the body limit, prototype
 * keys refused, one request line (the mint's audit record) and the request metrics. Returns
 * false for anything else, which Fastify then serves.
 */
export function fastRegistryAuth(deps: FastPathDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const staticHeaders: Record<string, string> = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
  if (deps.tls) staticHeaders['strict-transport-security'] = 'max-age=31536000';

  return (req, res) => {
    if (req.method !== 'POST' || req.url !== ROUTE) return false;
    const started = performance.now();
    const requestId = requestIdOf(req);
    const state: { code: string; cache?: CacheOutcome; audit?: AuditFields; caller?: string } = { code: 'OK' };
    res.on('finish', () => logRequest(deps, req, res, requestId, started, state));

    const fail = (error: unknown) => {
      const response = toErrorResponse(error, requestId);
      state.code = response.body.code;
      if (response.unexpected !== undefined) deps.logger.error({ requestId, err: describeCause(response.unexpected) }, 'unexpected failure');
      send(res, response.status, { ...response.headers, ...(response.status === 401 ? { 'www-authenticate': 'Bearer' } : {}) }, JSON.stringify(response.body), requestId, deps, staticHeaders);
    };

    let caller: ApiToken | undefined;
    if (deps.auth.enabled) {
      caller = deps.auth.authenticate(req.headers.authorization);
      if (!caller) return drain(req, () => fail(new EcrAuthError('UNAUTHENTICATED', 'Send a valid API token as Authorization: Bearer <token>.'))), true;
      state.caller = caller.fingerprint;
    }
    const wait = deps.limiter.enabled ? deps.limiter.take(caller?.fingerprint ?? req.socket.remoteAddress ?? '') : undefined;
    if (wait !== undefined) {
      return drain(req, () => fail(new EcrAuthError('RATE_LIMITED', `Too many requests for this API token (ECR_AUTH_RATE_LIMIT_PER_MINUTE); retry in ${wait} s.`, { retryAfterSeconds: wait }))), true;
    }

    readBody(req, deps.maxBodyBytes, (error, body) => {
      if (error) return fail(error);
      void (async () => {
        const identity = deps.credentials.identify(parseBody(registryAuthBody, body), caller);
        state.audit = auditFields(identity);
        const { login, outcome } = await deps.credentials.login(identity);
        state.cache = outcome;
        state.audit.sessionName = login.sessionName;
        const payload = JSON.stringify({ registry: login.registry, username: login.username, password: login.password, expiresAt: login.expiresAt.toISOString() });
        send(res, 200, {}, payload, requestId, deps, staticHeaders);
      })().catch(fail);
    });
    return true;
  };
}

/** Reads a JSON body within the limit, as Fastify would: 415 for other types, 413 past the limit, 400 for bad JSON. */
function readBody(req: IncomingMessage, limit: number, done: (error: EcrAuthError | null, body?: unknown) => void): void {
  const type = req.headers['content-type'];
  const length = req.headers['content-length'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (!hasBody && type === undefined) return drain(req, () => done(null, undefined));
  if (type === undefined || !JSON_TYPE.test(type)) return drain(req, () => done(new EcrAuthError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON with Content-Type: application/json.')));
  if (length !== undefined && Number(length) > limit) return tooLarge(req, done);
  const chunks: Buffer[] = [];
  let received = 0;
  let over = false;
  req.on('data', (chunk: Buffer) => {
    if (over) return;
    received += chunk.length;
    if (received > limit) {
      over = true;
      return tooLarge(req, done);
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (over) return;
    const text = Buffer.concat(chunks, received).toString('utf8');
    if (text.length === 0) return done(new EcrAuthError('INVALID_REQUEST', 'The body is empty: send a JSON object.'));
    let body: unknown;
    try {
      body = secureParse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch {
      return done(new EcrAuthError('INVALID_REQUEST', 'The body is not an acceptable JSON object (malformed, or with a forbidden key such as __proto__).'));
    }
    done(null, body);
  });
  req.on('error', () => undefined);
}

function tooLarge(req: IncomingMessage, done: (error: EcrAuthError) => void): void {
  // Answer at once and stop reading: the connection closes after the answer.
  req.pause();
  (req as IncomingMessage & { tooLarge?: boolean }).tooLarge = true;
  done(new EcrAuthError('PAYLOAD_TOO_LARGE', 'The request body is over the size limit (ECR_AUTH_MAX_BODY_BYTES); send only the registry and its key.'));
}

/** Consumes what is left of a body before answering, so the connection can be reused. */
function drain(req: IncomingMessage, then: () => void): void {
  if (req.readableEnded || req.complete) return then();
  req.resume();
  req.once('end', then);
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string, requestId: string, deps: FastPathDeps, staticHeaders: Record<string, string>): void {
  if (res.headersSent) return;
  const closing = deps.readiness.current === 'draining' || (res.req as IncomingMessage & { tooLarge?: boolean }).tooLarge === true;
  res.writeHead(status, {
    ...staticHeaders,
    ...headers,
    'x-request-id': requestId,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...(closing ? { connection: 'close' } : {}),
  });
  res.end(body);
}

function logRequest(deps: FastPathDeps, req: IncomingMessage, res: ServerResponse, requestId: string, started: number, state: { code: string; cache?: CacheOutcome; audit?: AuditFields; caller?: string }): void {
  const ms = performance.now() - started;
  deps.metrics.countRequest('POST', ROUTE, state.code, ms / 1000);
  deps.logger.info(
    {
      requestId,
      method: req.method,
      route: ROUTE,
      status: res.statusCode,
      durationMs: Math.round(ms * 10) / 10,
      code: state.code,
      cache: state.cache,
      caller: state.caller,
      ...(state.audit ? { audit: 'registry-auth', ...state.audit } : undefined),
    },
    'request',
  );
}
