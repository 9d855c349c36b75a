import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { parse as secureParse } from 'secure-json-parse';
import type { ApiToken } from '../config/app-config';
import type { RegistryCredentialsService } from '../credentials/registry-credentials.service';
import { toErrorResponse } from '../errors/error-response';
import { describeCause } from '../errors/http-error.filter';
import type { Readiness } from '../health/readiness';
import { requestIdOf } from '../logging/logger.options';
import { recordRequest } from '../logging/request-line';
import type { Metrics } from '../metrics/metrics';
import type { Admission } from './admission';
import { answerRegistryAuth, MintNotes } from './registry-auth.route';

export interface FastPathDeps {
  readonly admission: Admission;
  readonly credentials: RegistryCredentialsService;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  readonly maxBodyBytes: number;
  readonly tls: boolean;
}

const ROUTE = '/registry-auth';
const JSON_TYPE = /^application\/json\s*(;|$)/i;

/** Body failures, named as Fastify names them, so error-response.ts maps both paths alike. */
const bodyError = (code: string) => Object.assign(new Error(code), { code });

/**
 * POST /registry-auth on node:http, ahead of Fastify: the service's hot path. Fastify's
 * request lifecycle (hooks, content-type parsing, reply serialisation) cost more than half of
 * a cache hit (docs/benchmarks.md). The contract is the same as everywhere, from the same
 * pieces: admission (bearer token, rate limit) before the body, 415/413/400 for the body,
 * prototype keys refused, the answer of answerRegistryAuth, errors through toErrorResponse,
 * one request line. Returns false for anything else, which Fastify then serves.
 */
export function fastRegistryAuth(deps: FastPathDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const staticHeaders: Record<string, string> = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
  if (deps.tls) staticHeaders['strict-transport-security'] = 'max-age=31536000';

  return (req, res) => {
    if (req.method !== 'POST' || req.url !== ROUTE) return false;
    const started = performance.now();
    const requestId = requestIdOf(req);
    const notes: MintNotes = {};
    let code = 'OK';
    let caller: ApiToken | undefined;
    res.on('finish', () =>
      recordRequest(deps.logger, deps.metrics, {
        requestId,
        method: 'POST',
        route: ROUTE,
        status: res.statusCode,
        seconds: (performance.now() - started) / 1000,
        code,
        caller: caller?.fingerprint,
        ...notes,
      }),
    );
    const send = (status: number, headers: Record<string, string>, body: string) => {
      if (res.headersSent) return;
      const close = deps.readiness.current === 'draining' || !req.complete;
      res.writeHead(status, {
        ...staticHeaders,
        ...headers,
        'x-request-id': requestId,
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        ...(close ? { connection: 'close' } : {}),
      });
      res.end(body);
    };
    const fail = (error: unknown) => {
      const response = toErrorResponse(error, requestId);
      code = response.body.code;
      if (response.unexpected !== undefined)
        deps.logger.error({ requestId, err: describeCause(response.unexpected) }, 'unexpected failure');
      send(response.status, response.headers, JSON.stringify(response.body));
    };

    try {
      caller = deps.admission.admit(req.headers.authorization, req.socket.remoteAddress ?? '');
    } catch (e) {
      drain(req, () => fail(e));
      return true;
    }
    readBody(req, deps.maxBodyBytes, (error, body) => {
      if (error) return fail(error);
      answerRegistryAuth(deps.credentials, body, caller, notes).then(
        (answer) => send(200, {}, JSON.stringify(answer)),
        fail,
      );
    });
    return true;
  };
}

/** Reads a JSON body within the limit, as Fastify would: 415 for other types, 413 past the limit, 400 for bad JSON. */
function readBody(req: IncomingMessage, limit: number, done: (error: Error | null, body?: unknown) => void): void {
  const type = req.headers['content-type'];
  const length = req.headers['content-length'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (!hasBody && type === undefined) return drain(req, () => done(null, undefined));
  if (type === undefined || !JSON_TYPE.test(type))
    return drain(req, () => done(bodyError('FST_ERR_CTP_INVALID_MEDIA_TYPE')));
  // Past the limit: answer at once and stop reading; the connection closes after the answer.
  if (length !== undefined && Number(length) > limit) return done(bodyError('FST_ERR_CTP_BODY_TOO_LARGE'));
  const chunks: Buffer[] = [];
  let received = 0;
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received <= limit) return void chunks.push(chunk);
    req.off('data', onData);
    req.pause();
    done(bodyError('FST_ERR_CTP_BODY_TOO_LARGE'));
  };
  req.on('data', onData);
  req.on('end', () => {
    if (received > limit) return;
    const text = Buffer.concat(chunks, received).toString('utf8');
    if (text.length === 0) return done(bodyError('FST_ERR_CTP_EMPTY_JSON_BODY'));
    try {
      done(null, secureParse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch {
      done(bodyError('FST_ERR_CTP_INVALID_JSON_BODY'));
    }
  });
  req.on('error', () => undefined);
}

/** Consumes what is left of a body before answering, so the connection can be reused. */
function drain(req: IncomingMessage, then: () => void): void {
  if (req.complete) return then();
  req.resume();
  req.once('end', then);
}
