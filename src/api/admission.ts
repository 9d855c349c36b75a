import type { ApiToken } from '../config/app-config';
import { EcrAuthError } from '../errors/ecr-auth.error';
import type { RateLimiter } from '../rate-limit/rate-limiter';
import type { BearerAuth } from './bearer-auth';

/**
 * Who may come in, decided before any body is read: the bearer token (constant time), then
 * the caller's rate limit. One place for the Fastify hook and the node:http hot path.
 */
export class Admission {
  constructor(
    private readonly auth: BearerAuth,
    private readonly limiter: RateLimiter,
  ) {}

  /**
   * The caller's token (undefined when auth is off). Throws UNAUTHENTICATED or RATE_LIMITED.
   * @param address who is counted when auth is off (the service then listens on loopback only)
   */
  admit(authorization: string | undefined, address: string): ApiToken | undefined {
    let token: ApiToken | undefined;
    if (this.auth.enabled) {
      token = this.auth.authenticate(authorization);
      if (!token) throw new EcrAuthError('UNAUTHENTICATED', 'Send a valid API token as Authorization: Bearer <token>.');
    }
    const wait = this.limiter.enabled ? this.limiter.take(token?.fingerprint ?? address) : undefined;
    if (wait !== undefined) {
      throw new EcrAuthError(
        'RATE_LIMITED',
        `Too many requests for this API token (ECR_AUTH_RATE_LIMIT_PER_MINUTE); retry in ${wait} s.`,
        { retryAfterSeconds: wait },
      );
    }
    return token;
  }
}
