import { Injectable } from '@nestjs/common';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { OidcVerifier } from '../oidc/oidc.service';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { BearerAuth } from './bearer-auth';
import type { Caller } from './caller';

const UNAUTHENTICATED = 'Send a valid API token or workload-identity JWT as Authorization: Bearer <token>.';

/**
 * Who may come in, decided before any body is read: the bearer (an API token, else a JWT of a
 * configured OIDC issuer), then the caller's rate limit. Throws (or rejects with)
 * UNAUTHENTICATED or RATE_LIMITED.
 */
@Injectable()
export class Admission {
  constructor(
    private readonly auth: BearerAuth,
    private readonly oidc: OidcVerifier,
    private readonly limiter: RateLimiter,
  ) {}

  /** Whether callers must authenticate: API tokens or OIDC issuers are configured. */
  get enabled(): boolean {
    return this.auth.enabled || this.oidc.enabled;
  }

  /**
   * The caller (undefined when auth is off: every route is open, on loopback only). An API
   * token is answered at once; a JWT, whose verification may fetch keys, with a promise.
   * @param address who is counted by the rate limit when auth is off
   */
  admit(authorization: string | undefined, address: string): Caller | undefined | Promise<Caller> {
    if (!this.enabled) {
      this.limit(address);
      return undefined;
    }
    // API tokens first: a token may contain dots and so look like a JWT.
    const bearer = BearerAuth.bearerOf(authorization);
    const caller = this.auth.authenticate(bearer);
    if (caller) return this.limited(caller);
    if (bearer !== undefined && this.oidc.enabled && this.oidc.isJwt(bearer)) {
      return this.oidc.verify(bearer).then((jwtCaller) => this.limited(jwtCaller));
    }
    throw new EcrAuthError('UNAUTHENTICATED', UNAUTHENTICATED);
  }

  private limited(caller: Caller): Caller {
    this.limit(caller.id);
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
