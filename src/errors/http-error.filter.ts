import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from './error-response';
import { redactMessage } from './redact';

const logger = new Logger('HttpErrorFilter');

/**
 * Every error answer leaves through here: Nest's routes, the Fastify route and hooks (Nest is
 * Fastify's error handler) and Fastify's own routing errors (app/fastify-errors.ts) alike.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), error);
  }
}

/** Writes the contract's error answer for a failure, and logs it when it was unexpected. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): void {
  const response = toErrorResponse(error, String(request.id));
  request.errorCode = response.body.code;
  if (response.unexpected !== undefined) {
    logger.error({ requestId: request.id, err: describeCause(response.unexpected) }, 'unexpected failure');
  }
  void reply.status(response.status).headers(response.headers).send(response.body);
}

/** Enough of a cause to debug it, without anything that might hold a credential. */
export function describeCause(cause: unknown): Record<string, unknown> {
  if (cause instanceof Error)
    return {
      type: cause.name,
      message: redactMessage(cause.message),
      stack: cause.stack?.split('\n').slice(0, 6).join('\n'),
    };
  if (cause && typeof cause === 'object') return { ...(cause as Record<string, unknown>) };
  return { value: String(cause) };
}
