import { Injectable } from '@nestjs/common';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { BearerAuth } from './bearer-auth';
import type { Caller } from './caller';

const UNAUTHENTICATED = 'Send a valid API token as Authorization: Bearer <token>.';

/**
 * Who may come in, decided before any body is read: the bearer (an API token), then the
 * caller's rate limit. Throws UNAUTHENTICATED or RATE_LIMITED.
 */
@Injectable()
export class Admission {
  constructor(
    private readonly auth: BearerAuth,
    private readonly limiter: RateLimiter,
  ) {}

  /**
   * The caller (undefined when no API token is configured: every route is open, on loopback only).
   * @param address who is counted by the rate limit when auth is off
   */
  admit(authorization: string | undefined, address: string): Caller | undefined {
    let caller: Caller | undefined;
    if (this.auth.enabled) {
      caller = this.auth.authenticate(BearerAuth.bearerOf(authorization));
      if (!caller) throw new EcrAuthError('UNAUTHENTICATED', UNAUTHENTICATED);
    }
    this.limit(caller?.id ?? address);
    return caller;
  }

  private limit(key: string): void {
    const wait = this.limiter.take(key);
    if (wait === undefined) return;
    throw new EcrAuthError(
      'RATE_LIMITED',
      `Too many requests for this caller (ECR_AUTH_RATE_LIMIT_PER_MINUTE); retry in ${wait} s.`,
      { retryAfterSeconds: wait },
    );
  }
}
