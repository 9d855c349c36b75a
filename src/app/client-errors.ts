import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { ErrorCode } from '../errors/error-codes';
import { errorBody } from '../errors/error-response';

/** Where a refused request's line goes once the application exists (logging/request-line.ts). */
export interface ClientErrorSink {
  record?: (line: { requestId: string; status: number; code: ErrorCode }) => void;
}

const MESSAGES = {
  REQUEST_TIMEOUT:
    'The request was not received in time (headers within 10 s, the whole request within 30 s): send it at once.',
  INVALID_REQUEST: 'The request is not valid HTTP (malformed request line or headers, or headers over the size limit).',
} as const satisfies Partial<Record<ErrorCode, string>>;

/**
 * Requests Node's HTTP server refuses before Fastify sees them: too slow (408), or not valid
 * HTTP (bad bytes in the request line, a header block over the limit: 400). Answered in the
 * contract's shape with `Connection: close`, and recorded like every other request.
 */
export function clientErrorHandler(sink: ClientErrorSink) {
  return (error: NodeJS.ErrnoException, socket: Socket): void => {
    // A reset connection has nobody to answer; nor has a socket already written to.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const code = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'REQUEST_TIMEOUT' : 'INVALID_REQUEST';
    const requestId = randomUUID();
    const answer = errorBody(code, MESSAGES[code], requestId);
    const { statusCode: status } = answer;
    const body = JSON.stringify(answer);
    const reason = status === 408 ? 'Request Timeout' : 'Bad Request';
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncache-control: no-store\r\nx-request-id: ${requestId}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
    sink.record?.({ requestId, status, code });
  };
}
