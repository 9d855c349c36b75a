import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { sendError } from '../errors/http-error.filter';

/**
 * The requests being answered now, so that shutdown can answer those still running when the
 * drain ends (503, `Connection: close`) instead of dropping their connections.
 */
@Injectable()
export class InFlightRequests {
  private readonly replies = new Set<FastifyReply>();

  /** Tracks a request from its first hook until its answer is written or its client went away. */
  track(reply: FastifyReply): void {
    this.replies.add(reply);
    reply.raw.once('close', () => this.replies.delete(reply));
  }

  get size(): number {
    return this.replies.size;
  }

  /** Answers every request still running with 503 and closes its connection; returns how many. */
  answerRemaining(): number {
    let answered = 0;
    for (const reply of this.replies) {
      if (reply.sent) continue;
      reply.header('connection', 'close');
      sendError(
        reply.request,
        reply,
        new EcrAuthError(
          'UPSTREAM_UNAVAILABLE',
          'This replica is shutting down and could not finish the request in time: retry, another replica answers.',
          { retryAfterSeconds: 1 },
        ),
      );
      answered++;
    }
    return answered;
  }
}
