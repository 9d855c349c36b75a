import type { RetrySettings } from '../config/app-config';

/**
 * Exponential backoff with full jitter: a uniform wait between 0 and
 * min(max, min * 2^(retry-1)). Spreads retries of many callers hit by the same throttle.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function fullJitterDelay(
  retry: number,
  settings: Pick<RetrySettings, 'minDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.minDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** What a caller is told to wait after the budget is spent: the largest backoff, at least a second. */
export function retryAfterSeconds(settings: Pick<RetrySettings, 'maxDelayMs'>): number {
  return Math.max(1, Math.ceil(settings.maxDelayMs / 1000));
}
