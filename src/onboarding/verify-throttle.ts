import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '../auth/caller';
import { CLOCK, Clock } from '../clock/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { Metrics } from '../metrics/metrics';
import { RateLimiter } from '../rate-limit/rate-limiter';

/**
 * Bounds POST /registry-auth/verify per caller (ECR_AUTH_VERIFY_PER_MINUTE): each call costs two
 * AssumeRoles and an ECR call, and STS throttles per account of the caller, which is the
 * service's own: one caller's checks must not throttle every customer's mints.
 */
@Injectable()
export class VerifyThrottle {
  private readonly limiter: RateLimiter;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) clock: Clock,
    private readonly metrics: Metrics,
  ) {
    this.limiter = new RateLimiter(config.verifyPerMinute, clock);
  }

  /** Counts a check; throws RATE_LIMITED past the limit. */
  take(caller: Caller | undefined, address: string): void {
    const wait = this.limiter.take(caller?.id ?? address);
    if (wait === undefined) return;
    this.metrics.localRefusals.inc({ reason: 'verify_rate' });
    throw new EcrAuthError(
      'RATE_LIMITED',
      `Too many onboarding checks for this caller (ECR_AUTH_VERIFY_PER_MINUTE); retry in ${wait} s.`,
      { retryAfterSeconds: wait },
    );
  }
}
