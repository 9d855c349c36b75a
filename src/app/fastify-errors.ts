import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { sendError } from '../errors/http-error.filter';
import type { AnswerHeaders } from './http-hooks';

// The one place Fastify's own error codes are known: its routing errors, which arise before
// any hook or route runs (body errors are the catalogue's already: api/json-body.parser.ts).
const ROUTING_ERRORS: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL is not valid (bad percent-encoding): the routes are listed in README.md.',
};

/** Fastify's `frameworkErrors`: its routing errors answered as the contract's, through the one error writer. */
export function frameworkErrorHandler(setHeaders: AnswerHeaders) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    setHeaders(reply, request.id);
    const message = ROUTING_ERRORS[error.code];
    sendError(
      request,
      reply,
      message === undefined ? error : new EcrAuthError('INVALID_REQUEST', message, { cause: error }),
    );
  };
}
