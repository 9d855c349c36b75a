import type { ApiToken } from '../config/app-config';

/**
 * Who is asking, once the bearer is checked: an API token, or a verified workload-identity
 * JWT. Everything downstream (account bounds, operator routes, the rate limit, the request
 * line, SourceIdentity) reads this, never the bearer itself.
 */
export interface Caller {
  readonly kind: 'api-token' | 'jwt';
  /** Stable and non-secret: the rate limit's and the request line's key (`token:<fingerprint>`, `jwt:<issuer>#<sub>`). */
  readonly id: string;
  /** How audit lines and SourceIdentity name the caller: a token's name or fingerprint, a JWT's `sub`. */
  readonly name: string;
  /** The customer accounts the caller may reach; undefined: every account the service allows. */
  readonly accounts?: ReadonlySet<string>;
  /** May call the operator routes (metrics, role health, eviction outside its own accounts). */
  readonly operator: boolean;
  /** API tokens: the token's fingerprint. */
  readonly fingerprint?: string;
  /** JWTs: the issuer and subject. */
  readonly issuer?: string;
  readonly subject?: string;
}

/*
 * The naming of callers lives here alone. A token is keyed by its fingerprint and named by its
 * name (else its fingerprint); a JWT is keyed by issuer and `sub` and named by its `sub`. The
 * name is what SourceIdentity carries; the request line logs `fingerprint` or `subject`.
 */

/** The caller an API token stands for: an operator when bound to no accounts. */
export function apiTokenCaller(token: ApiToken): Caller {
  return {
    kind: 'api-token',
    id: `token:${token.fingerprint}`,
    name: token.name ?? token.fingerprint,
    accounts: token.accounts,
    operator: token.accounts === undefined,
    fingerprint: token.fingerprint,
  };
}

/** The caller a verified JWT stands for: what its matched rules grant. */
export function jwtCaller(
  issuer: string,
  subject: string,
  grant: { readonly accounts?: ReadonlySet<string>; readonly operator: boolean },
): Caller {
  return Object.freeze({
    kind: 'jwt',
    id: `jwt:${issuer}#${subject}`,
    name: subject,
    issuer,
    subject,
    accounts: grant.accounts,
    operator: grant.operator,
  });
}
