import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { redactAwsMessage } from '../aws/aws-error.classify';
import { toErrorResponse } from './error-response';

/** Every error leaves through here: the contract's JSON body, headers, and a log line for the unexpected. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const response = toErrorResponse(error, String(request.id));
    request.errorCode = response.body.code;
    if (response.unexpected !== undefined) {
      this.logger.error({ requestId: request.id, err: describeCause(response.unexpected) }, 'unexpected failure');
    }
    reply.status(response.status).headers(response.headers).send(response.body);
  }
}

/** Enough of a cause to debug it, without anything that might hold a credential. */
export function describeCause(cause: unknown): Record<string, unknown> {
  if (cause instanceof Error)
    return {
      type: cause.name,
      message: redactAwsMessage(cause.message),
      stack: cause.stack?.split('\n').slice(0, 6).join('\n'),
    };
  if (cause && typeof cause === 'object') return { ...(cause as Record<string, unknown>) };
  return { value: String(cause) };
}
