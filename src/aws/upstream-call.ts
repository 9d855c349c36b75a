import pRetry, { AbortError } from 'p-retry';
import { sleep } from '../async/sleep';
import type { RetrySettings } from '../config/app-config';
import { EcrAuthError } from '../errors/ecr-auth.error';
import type { ErrorCode } from '../errors/error-codes';
import { classifyAwsError } from './aws-error.classify';
import { Hop, toEcrAuthError } from './aws-error.mapper';
import { Deadline } from './deadline';
import { deadlineError } from '../errors/deadline.error';
import { fullJitterDelay, retryAfterSeconds } from './retry-policy';
import { fairnessGroup, UpstreamGate } from './upstream-gate';

export interface UpstreamCallSettings {
  readonly retry: RetrySettings;
  readonly upstreamTimeoutMs: number;
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

/**
 * Runs one upstream call under the one retry layer (p-retry): transient failures and
 * throttling are retried with full-jitter backoff inside the attempt budget and the
 * request deadline; anything else fails at once. Every failure leaves as an EcrAuthError.
 * With a gate, each attempt first waits for a slot in its account's turn (the wait counts
 * against the deadline); back-off waits hold no slot.
 */
export async function upstreamCall<T>(
  hop: Hop,
  call: (signal: AbortSignal) => Promise<T>,
  deadline: Deadline,
  settings: UpstreamCallSettings,
  observe?: AttemptObserver,
  gate?: UpstreamGate,
): Promise<T> {
  const group = gate && fairnessGroup(hop);
  let lastThrottled = false;
  let attempts = 0;
  const target = upstreamTarget(hop);
  const emit = (outcome: 'OK' | ErrorCode, willRetry: boolean, error?: EcrAuthError) =>
    observe?.({ hop: hop.step, ...target, outcome, attempt: attempts, willRetry, error });
  try {
    return await pRetry(
      async () => {
        let release: (() => void) | undefined;
        try {
          if (gate) release = await gate.acquire(group!, deadline.signal);
          attempts++;
          const result = await call(deadline.attemptSignal(settings.upstreamTimeoutMs));
          release?.();
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
        retries: settings.retry.maxAttempts - 1,
        minTimeout: 0, // the wait happens in onFailedAttempt, with full jitter
        signal: deadline.signal,
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
          const willRetry = retriesLeft > 0;
          const e = error as EcrAuthError;
          emit(e.code, willRetry, e);
          if (willRetry)
            await sleep(
              Math.min(fullJitterDelay(attemptNumber, settings.retry), deadline.remainingMs()),
              deadline.signal,
            );
        },
      },
    );
  } catch (e) {
    if (e instanceof EcrAuthError) {
      return Promise.reject(withRetryAfter(e, settings.retry));
    }
    // p-retry rethrows the signal's reason when the deadline fires between attempts.
    if (deadline.expired) throw deadlineError(lastThrottled);
    throw e;
  }
}

function withRetryAfter(e: EcrAuthError, retry: RetrySettings): EcrAuthError {
  if (e.code !== 'UPSTREAM_THROTTLED' && e.code !== 'UPSTREAM_UNAVAILABLE') return e;
  if (e.retryAfterSeconds !== undefined) return e;
  return new EcrAuthError(e.code, e.message, { cause: e.cause, retryAfterSeconds: retryAfterSeconds(retry) });
}
