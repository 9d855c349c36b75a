import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Options } from 'pino-http';
import type { AppConfig } from '../config/app-config';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The request id: the caller's `X-Request-Id` when it is a sane token (no log injection),
 * else a new UUID. Set on the raw request so Fastify and the request log agree.
 */
export function requestIdOf(req: IncomingMessage): string {
  const existing = (req as { id?: unknown }).id;
  if (typeof existing === 'string') return existing;
  const header = req.headers['x-request-id'];
  const id = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
  (req as { id?: string }).id = id;
  return id;
}

/** Fields that hold secrets, wherever they appear in a log object. */
const SECRET_FIELDS = ['password', 'secretAccessKey', 'sessionToken', 'externalId', 'token', 'authorizationToken', 'authorization'];
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  ...SECRET_FIELDS.map((f) => `*.*.${f}`),
];

/** The root logger: JSON lines, secrets redacted wherever they appear. */
export function createRootLogger(config: Pick<AppConfig, 'logLevel'>, stream?: DestinationStream): Logger {
  const options = {
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'ecr-auth' },
  };
  return stream ? pino(options, stream) : pino(options);
}

/**
 * pino-http options for nestjs-pino: request-scoped loggers carry the request id. The
 * request line itself is written by the onResponse hook (request-log.ts), which knows the
 * route, the outcome code and the cache outcome.
 */
export function httpLoggerOptions(logger: Logger): Options {
  return {
    logger,
    autoLogging: false,
    genReqId: (req) => requestIdOf(req),
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    serializers: {
      req: (req: IncomingMessage & { id?: string }) => ({ id: req.id, method: req.method, url: (req.url ?? '').split('?')[0] }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
  };
}
