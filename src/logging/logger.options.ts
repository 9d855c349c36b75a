import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DestinationStream } from 'pino';
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
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.secretAccessKey',
  '*.sessionToken',
  '*.externalId',
  '*.token',
  '*.authorizationToken',
];

/** pino-http options: JSON lines, secrets redacted, URLs logged without their query string. */
export function loggerOptions(config: Pick<AppConfig, 'logLevel'>, stream?: DestinationStream): Options | [Options, DestinationStream] {
  const options: Options = {
    level: config.logLevel,
    genReqId: (req) => requestIdOf(req),
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: IncomingMessage & { id?: string }) => ({ id: req.id, method: req.method, url: (req.url ?? '').split('?')[0] }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    base: { service: 'ecr-auth' },
  };
  return stream ? [options, stream] : options;
}
