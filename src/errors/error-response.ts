import { HttpException } from '@nestjs/common';
import { ERROR_CATALOGUE, ErrorCode } from './error-codes';
import { EcrAuthError } from './ecr-auth.error';

/** The contract's error body: `{statusCode, code, message, requestId}`. */
export interface ErrorBody {
  readonly statusCode: number;
  readonly code: ErrorCode;
  readonly message: string;
  readonly requestId: string;
}

export interface ErrorResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: ErrorBody;
  /** Set when the failure is unexpected and its cause must be logged. */
  readonly unexpected?: unknown;
}

const NOT_FOUND = 'No such route: the routes are listed in README.md.';
const INTERNAL = 'Internal error. It was logged with this request id; retry, and report it if it persists.';

/**
 * The one place that turns a failure into the contract's HTTP answer. The service's own
 * failures are EcrAuthErrors from where they arise (body parsing included); Nest's
 * HttpExceptions are mapped by status. Anything else is INTERNAL, flagged for the log.
 * (`Cache-Control: no-store` is set on every answer by the request hooks.)
 */
export function toErrorResponse(error: unknown, requestId: string): ErrorResponse {
  const known = asKnownError(error);
  const code = known?.code ?? 'INTERNAL';
  const status = ERROR_CATALOGUE[code].status;
  const headers: Record<string, string> = {};
  if (known?.retryAfterSeconds !== undefined) headers['retry-after'] = String(known.retryAfterSeconds);
  if (code === 'UNAUTHENTICATED') headers['www-authenticate'] = 'Bearer';
  const unexpected = known === undefined ? error : code === 'INTERNAL' ? (known.cause ?? known) : undefined;
  return {
    status,
    headers,
    body: errorBody(code, known?.message ?? INTERNAL, requestId),
    unexpected,
  };
}

/**
 * The one builder of the error body, its status from the catalogue: the filter's answers and
 * the raw-socket answers to requests Node refuses before Fastify (app/client-errors.ts) alike.
 */
export function errorBody(code: ErrorCode, message: string, requestId: string): ErrorBody {
  return { statusCode: ERROR_CATALOGUE[code].status, code, message, requestId };
}

/**
 * Nest's HttpExceptions by status: a path no route serves (NotFoundException), and the
 * request errors Fastify raises before any parser runs (a malformed Content-Type), which Nest
 * hands over as HttpExceptions. Other statuses are not the service's to answer.
 */
const HTTP_EXCEPTIONS: Partial<Record<number, [ErrorCode, string]>> = {
  400: ['INVALID_REQUEST', 'The request is malformed: send a JSON object with Content-Type: application/json.'],
  404: ['NOT_FOUND', NOT_FOUND],
  413: ['PAYLOAD_TOO_LARGE', 'The request body is over the size limit (ECR_AUTH_MAX_BODY_BYTES).'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON with Content-Type: application/json.'],
};

function asKnownError(error: unknown): EcrAuthError | undefined {
  if (error instanceof EcrAuthError) return error;
  const known = error instanceof HttpException ? HTTP_EXCEPTIONS[error.getStatus()] : undefined;
  return known && new EcrAuthError(known[0], known[1]);
}
