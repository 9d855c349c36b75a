import { ERROR_CATALOGUE, ErrorCode } from './error-codes';
import { EcrAuthError } from './ecr-auth.error';

export interface ErrorResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: { statusCode: number; code: ErrorCode; message: string; requestId: string };
  /** Set when the failure is unexpected and its cause must be logged. */
  readonly unexpected?: unknown;
}

// Fastify's own errors (body parsing, limits) by their code.
const FASTIFY_CODES: Record<string, [ErrorCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [
    'PAYLOAD_TOO_LARGE',
    'The request body is over the size limit (ECR_AUTH_MAX_BODY_BYTES); send only the registry and its key.',
  ],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    'UNSUPPORTED_MEDIA_TYPE',
    'Send the body as JSON with Content-Type: application/json.',
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['INVALID_REQUEST', 'The Content-Length header does not match the body.'],
  FST_ERR_BAD_URL: [
    'INVALID_REQUEST',
    'The URL is not valid (bad percent-encoding): the routes are listed in README.md.',
  ],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['INVALID_REQUEST', 'The body is empty: send a JSON object.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [
    'INVALID_REQUEST',
    'The body is not valid JSON, or carries a forbidden key such as __proto__: send a plain JSON object.',
  ],
};

/**
 * The one place that turns any failure into the contract's HTTP answer. Known errors keep
 * their code and message; anything else becomes INTERNAL and is flagged for the log.
 */
export function toErrorResponse(error: unknown, requestId: string): ErrorResponse {
  const { code, message, retryAfterSeconds, unexpected } = describe(error);
  const status = ERROR_CATALOGUE[code].status;
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  if (code === 'UNAUTHENTICATED') headers['www-authenticate'] = 'Bearer';
  return { status, headers, body: { statusCode: status, code, message, requestId }, unexpected };
}

function describe(error: unknown): {
  code: ErrorCode;
  message: string;
  retryAfterSeconds?: number;
  unexpected?: unknown;
} {
  if (error instanceof EcrAuthError) {
    return {
      code: error.code,
      message: error.message,
      retryAfterSeconds: error.retryAfterSeconds,
      unexpected: error.code === 'INTERNAL' ? (error.cause ?? error) : undefined,
    };
  }
  const e = (error ?? {}) as { code?: unknown; statusCode?: unknown; status?: unknown; getStatus?: () => number };
  const fastify = typeof e.code === 'string' ? FASTIFY_CODES[e.code] : undefined;
  if (fastify) return { code: fastify[0], message: fastify[1] };
  const status =
    typeof e.getStatus === 'function' ? e.getStatus() : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status === 401)
    return { code: 'UNAUTHENTICATED', message: 'Send a valid API token as Authorization: Bearer <token>.' };
  if (status === 404) return { code: 'NOT_FOUND', message: 'No such route: the routes are listed in README.md.' };
  if (status === 405)
    return { code: 'NOT_FOUND', message: 'No such route for this method: the routes are listed in README.md.' };
  if (status === 413) return { code: 'PAYLOAD_TOO_LARGE', message: FASTIFY_CODES.FST_ERR_CTP_BODY_TOO_LARGE[1] };
  if (status === 415)
    return { code: 'UNSUPPORTED_MEDIA_TYPE', message: FASTIFY_CODES.FST_ERR_CTP_INVALID_MEDIA_TYPE[1] };
  // Fastify's JSON parser refuses __proto__ and constructor keys with a 400.
  if (status === 400)
    return {
      code: 'INVALID_REQUEST',
      message: 'The body is not an acceptable JSON object (malformed, or with a forbidden key such as __proto__).',
    };
  return {
    code: 'INTERNAL',
    message: 'Internal error. It was logged with this request id; retry, and report it if it persists.',
    unexpected: error,
  };
}
