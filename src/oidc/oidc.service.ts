import { KeyedFlights } from '../async/single-flight';
import { Logger } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { Caller, jwtCaller } from '../auth/caller';
import type { Clock } from '../clock/clock';
import type { OidcProvider } from '../config/oidc-providers';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { grantOf } from './claim-rules';
import { JWKS_DEFAULTS, JwksStore, type JwksStoreOptions } from './jwks-store';
import { JwtRefused, verifyJwt } from './jwt-verifier';
import { VerifiedMemo } from './verified-memo';

/** The one answer to every refused JWT, whatever check failed: it helps a caller, not a forger. */
export const JWT_REFUSED_MESSAGE =
  'Send a valid API token, or an unexpired JWT of a configured issuer for this service as its audience, as Authorization: Bearer <token>.';

export interface OidcVerifierOptions extends Partial<JwksStoreOptions> {
  /** Every issuer's keys are re-read this often (ms). */
  readonly refreshIntervalMs?: number;
  /** Verified tokens remembered at most. */
  readonly memoMax?: number;
}

// Compact JWS: three base64url parts; a JWT from a real issuer stays well under this.
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const MAX_JWT_LENGTH = 16_384;

/**
 * Turns a workload-identity JWT into a Caller: picks the provider by the token's (unverified)
 * `iss`, verifies it against that issuer's keys, and applies the provider's claim rules.
 * Verified tokens are remembered until `exp`; concurrent verifications of one token share one.
 */
export class OidcVerifier {
  private readonly stores = new Map<string, JwksStore>();
  private readonly memo: VerifiedMemo;
  private readonly verifying = new KeyedFlights<string, Caller>();
  private readonly logger = new Logger('OidcVerifier');
  private timer?: NodeJS.Timeout;
  private readonly refreshIntervalMs: number;
  private verified = 0;

  constructor(
    providers: readonly OidcProvider[],
    private readonly clock: Clock,
    options: OidcVerifierOptions = {},
  ) {
    this.refreshIntervalMs = options.refreshIntervalMs ?? 600_000;
    this.memo = new VerifiedMemo(clock, options.memoMax ?? 10_000);
    const storeOptions: JwksStoreOptions = {
      ...JWKS_DEFAULTS,
      onFailure: (issuer, reason) =>
        this.logger.warn({ issuer, reason }, 'JWKS refresh failed; the keys already known keep working'),
      onChange: () => this.memo.clear(),
      ...definedOnly(options),
    };
    for (const p of providers) this.stores.set(p.issuer, new JwksStore(p, clock, storeOptions));
  }

  /** Whether any issuer is configured. */
  get enabled(): boolean {
    return this.stores.size > 0;
  }

  /** Tokens verified so far (memo misses that reached a signature check and passed). */
  get verifications(): number {
    return this.verified;
  }

  /** Whether a bearer has the shape of a JWT (three dot-separated base64url parts). */
  isJwt(bearer: string): boolean {
    return bearer.length <= MAX_JWT_LENGTH && JWT_SHAPE.test(bearer);
  }

  /**
   * The caller a JWT stands for. A token whose claims match no rule still verifies: it gets a
   * caller that reaches no account. Throws EcrAuthError UNAUTHENTICATED, with one message
   * whatever was wrong (the reason goes to the cause, for the log, never the token or claims).
   */
  async verify(bearer: string): Promise<Caller> {
    if (!this.isJwt(bearer)) throw refused('ERR_NOT_A_JWT');
    const key = VerifiedMemo.keyOf(bearer);
    const known = this.memo.get(key);
    if (known) return known;
    return this.verifying.run(key, () => this.verifyFresh(bearer, key));
  }

  /**
   * Starts loading every issuer's keys and the periodic refresh. Does not wait for the keys
   * (a start-up must not hang on an issuer); the promise, which never rejects, settles once
   * every first load did, for tests and for a readiness that wants it.
   */
  async start(): Promise<void> {
    if (!this.timer && this.enabled) {
      this.timer = setInterval(() => void this.refreshAll(), this.refreshIntervalMs);
      this.timer.unref();
    }
    await this.refreshAll();
  }

  /** Stops the periodic refresh and aborts fetches under way. */
  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const store of this.stores.values()) store.close();
  }

  /** Re-reads every issuer's keys now. */
  async refreshAll(): Promise<void> {
    await Promise.all([...this.stores.values()].map((s) => s.refresh()));
  }

  private async verifyFresh(bearer: string, key: string): Promise<Caller> {
    const store = this.stores.get(unverifiedIssuer(bearer) ?? '');
    if (!store) throw refused('ERR_UNKNOWN_ISSUER');
    let claims;
    try {
      claims = await verifyJwt(bearer, store.provider, store, this.clock());
    } catch (e) {
      throw refused(e instanceof JwtRefused ? e.reason : 'unknown');
    }
    this.verified += 1;
    const { issuer, rules } = store.provider;
    const caller = jwtCaller(issuer, claims.sub, grantOf(rules, claims));
    this.memo.set(key, caller, claims.exp * 1000);
    return caller;
  }
}

/** The `iss` of a token before verification: only to pick which issuer's keys to verify with. */
function unverifiedIssuer(token: string): string | undefined {
  try {
    const { iss } = decodeJwt(token);
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}

function refused(reason: string): EcrAuthError {
  return new EcrAuthError('UNAUTHENTICATED', JWT_REFUSED_MESSAGE, { cause: new JwtRefused(reason) });
}

function definedOnly(options: OidcVerifierOptions): Partial<JwksStoreOptions> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}
