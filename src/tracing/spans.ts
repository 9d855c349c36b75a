import { SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

// The API alone: with tracing off its tracer is a no-op (no SDK is loaded), and spans below
// skip their bookkeeping once they know they are not recorded.
const tracer = trace.getTracer('ecr-auth');

/** One outbound call's client span, with what happens to each of its attempts. */
export interface CallSpan {
  /** Marks the start of a wait for a slot in the upstream queue; the returned function marks its end. */
  queued(): () => void;
  /** One attempt's outcome (`OK` or the contract code) and whether another attempt follows. */
  attempt(number: number, outcome: string, willRetry: boolean): void;
  /** Ends the span with the attempt count; with the contract code it failed with, if any. */
  end(attempts: number, failure?: { code: string; message: string }): void;
}

/**
 * A client span under the active context (the request's server span, or none for background
 * work). The attributes given are the call's identity only: never a request parameter.
 */
export function startCallSpan(name: string, attributes: Attributes): CallSpan {
  const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes });
  if (!span.isRecording()) return NOT_RECORDED;
  return {
    queued() {
      const since = performance.now();
      return () => span.addEvent('upstream queue', { 'ecr_auth.queue.wait_ms': round(performance.now() - since) });
    },
    attempt(number, outcome, willRetry) {
      span.addEvent('attempt', {
        'ecr_auth.attempt': number,
        'ecr_auth.outcome': outcome,
        'ecr_auth.will_retry': willRetry,
      });
    },
    end(attempts, failure) {
      span.setAttribute('ecr_auth.attempts', attempts);
      if (failure) {
        span.setAttribute('error.type', failure.code);
        span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
      }
      span.end();
    },
  };
}

/**
 * The fleet lock wait as a span of its own: started now, ended by the returned function with
 * how the wait ended and how long it took.
 */
export function startLockWaitSpan(name: string): (outcome: string, waitedMs: number) => void {
  const span: Span = tracer.startSpan(name, { kind: SpanKind.INTERNAL });
  if (!span.isRecording()) return () => undefined;
  return (outcome, waitedMs) => {
    span.setAttributes({ 'ecr_auth.lock.outcome': outcome, 'ecr_auth.lock.wait_ms': round(waitedMs) });
    span.end();
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

const NOT_RECORDED: CallSpan = {
  queued: () => () => undefined,
  attempt: () => undefined,
  end: () => undefined,
};
