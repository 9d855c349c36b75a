import pRetry, { AbortError } from 'p-retry';
import { backoffDelay } from '../async/backoff';
import { sleep } from '../async/sleep';
import type { RetrySettings } from '../config/app-config';
import { deadlineError } from '../errors/deadline.error';
import { EcrAuthError } from '../errors/ecr-auth.error';
import type { ErrorCode } from '../errors/error-codes';
import { classifyAwsError } from './aws-error.classify';
import { Hop, toEcrAuthError } from './aws-error.mapper';
import type { Deadline } from './deadline';
import { fairnessGroup, unlimitedGate, UpstreamGate } from './upstream-gate';
import { startCallSpan } from '../tracing/spans';
import { upstreamSpan } from './upstream-span';

/** The retry budget and the limit of one attempt (the service's AppConfig carries both). */
export interface UpstreamSettings {
  readonly retry: RetrySettings;
  readonly upstreamTimeoutMs: number;
  /** The STS region, for traces (the service's AWS_REGION). */
  readonly region?: string;
}

export type UpstreamService = 'sts' | 'ecr' | 'ecr-public';

/** One attempt to AWS, as metrics and logs see it. */
export interface UpstreamEvent {
  readonly hop: Hop['step'];
  readonly service: UpstreamService;
  readonly operation: string;
  /** OK, or the contract code the failure maps to. */
  readonly outcome: 'OK' | ErrorCode;
  readonly attempt: number;
  readonly willRetry: boolean;
  readonly error?: EcrAuthError;
}

/** Observes each attempt (metrics, logs); never alters the outcome. */
export type AttemptObserver = (event: UpstreamEvent) => void;

/** Which AWS service and operation a hop calls. */
export function upstreamTarget(hop: Hop): { service: UpstreamService; operation: string } {
  if (hop.step === 'ecr') return { service: hop.service, operation: 'GetAuthorizationToken' };
  return { service: 'sts', operation: hop.step === 'identity' ? 'GetCallerIdentity' : 'AssumeRole' };
}

/** What a caller is told to wait after the budget is spent: the largest backoff, at least a second. */
export function retryAfterSeconds(settings: Pick<RetrySettings, 'maxDelayMs'>): number {
  return Math.max(1, Math.ceil(settings.maxDelayMs / 1000));
}

/**
 * The one way to call AWS: the replica's fair gate, the one retry layer (p-retry) and the
 * observer, under the caller's request deadline. Transient failures and throttling are retried
 * with full-jitter backoff (`backoffDelay`) inside the attempt budget and the deadline;
 * anything else fails at once. Every failure leaves as an EcrAuthError. Each attempt first
 * waits for a slot in its account's turn (the wait counts against the deadline); back-off
 * waits hold no slot. Each call is one client span (tracing/spans.ts) with an event per queue
 * wait and per attempt. One instance per application (CoreModule provides it).
 */
export class Upstream {
  private observer: AttemptObserver = () => undefined;

  constructor(
    private readonly settings: UpstreamSettings,
    readonly gate: UpstreamGate = unlimitedGate(),
  ) {}

  /** Where attempts are reported (metrics plug in here); one observer. */
  observe(observer: AttemptObserver): void {
    this.observer = observer;
  }

  /** Runs `fn` (one attempt, aborted by its signal) until it answers, fails for good or the deadline fires. */
  async call<T>(hop: Hop, fn: (signal: AbortSignal) => Promise<T>, deadline: Deadline): Promise<T> {
    const { retry, upstreamTimeoutMs } = this.settings;
    const group = fairnessGroup(hop);
    const target = upstreamTarget(hop);
    const { name, attributes } = upstreamSpan(hop, target, this.settings.region);
    const span = startCallSpan(name, attributes);
    let lastThrottled = false;
    let attempts = 0;
    const emit = (outcome: 'OK' | ErrorCode, willRetry: boolean, error?: EcrAuthError) => {
      span.attempt(attempts, outcome, willRetry);
      this.observer({ hop: hop.step, ...target, outcome, attempt: attempts, willRetry, error });
    };
    try {
      const result = await pRetry(
        async () => {
          let release: (() => void) | undefined;
          try {
            const granted = span.queued();
            release = await this.gate.acquire(group, deadline.signal);
            granted();
            attempts++;
            const result = await fn(deadline.attemptSignal(upstreamTimeoutMs));
            release();
            emit('OK', false);
            return result;
          } catch (e) {
            release?.();
            if (deadline.expired) throw new AbortError(deadlineError(lastThrottled));
            const mapped = toEcrAuthError(classifyAwsError(e), hop);
            lastThrottled = mapped.code === 'UPSTREAM_THROTTLED';
            if (mapped.retryable) throw mapped;
            // Non-transient failures leave p-retry at once (which then skips onFailedAttempt).
            emit(mapped.code, false, mapped);
            throw new AbortError(mapped);
          }
        },
        {
          retries: retry.maxAttempts - 1,
          minTimeout: 0, // the wait happens in onFailedAttempt, with full jitter
          signal: deadline.signal,
          onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
            const willRetry = retriesLeft > 0;
            const e = error as EcrAuthError;
            emit(e.code, willRetry, e);
            if (!willRetry) return;
            const backoff = { firstMs: retry.minDelayMs, maxMs: retry.maxDelayMs, jitter: 'full' } as const;
            await sleep(Math.min(backoffDelay(attemptNumber, backoff), deadline.remainingMs()), deadline.signal);
          },
        },
      );
      span.end(attempts);
      return result;
    } catch (e) {
      const failure = failureOf(e, deadline, lastThrottled, retry);
      span.end(attempts, failure instanceof EcrAuthError ? failure : { code: 'INTERNAL', message: 'failed' });
      throw failure;
    }
  }
}

/** What a call that failed throws: always an EcrAuthError for an AWS failure or the deadline. */
function failureOf(e: unknown, deadline: Deadline, lastThrottled: boolean, retry: RetrySettings): unknown {
  if (e instanceof EcrAuthError) return withRetryAfter(e, retry);
  // p-retry rethrows the signal's reason when the deadline fires between attempts.
  if (deadline.expired) return deadlineError(lastThrottled);
  return e;
}

function withRetryAfter(e: EcrAuthError, retry: RetrySettings): EcrAuthError {
  if (e.code !== 'UPSTREAM_THROTTLED' && e.code !== 'UPSTREAM_UNAVAILABLE') return e;
  if (e.retryAfterSeconds !== undefined) return e;
  return new EcrAuthError(e.code, e.message, { cause: e.cause, retryAfterSeconds: retryAfterSeconds(retry) });
}
