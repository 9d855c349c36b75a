import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { OidcProvider } from '../config/oidc-providers';

/** Leeway for `nbf` and `iat` against clock skew between the issuer and us. */
export const LEEWAY_SECONDS = 60;

/** What a verifier needs of an issuer's keys: the jose lookup, and a refresh for an unknown key. */
export interface KeySource {
  readonly getKey: JWTVerifyGetKey;
  refreshForUnknownKey(): Promise<boolean>;
}

/** A verified claim set: `sub` and `exp` are present. */
export interface VerifiedClaims extends JWTPayload {
  readonly sub: string;
  readonly exp: number;
}

/** Thrown for every refusal; `reason` is jose's error code or ours, for the log (never claims). */
export class JwtRefused extends Error {
  override readonly name = 'JwtRefused';
  constructor(readonly reason: string) {
    super(`JWT refused: ${reason}`);
  }
}

/**
 * Verifies a compact JWT of `provider` at `nowMs`: signature by a key of the issuer's key set
 * (jose picks it by `kid`, or by key type and algorithm), the algorithm allowlist, `iss`, `aud`
 * (is or contains the audience), `exp` present and in the future (no leeway), `nbf` and `iat`
 * not more than the leeway in the future, `sub` a non-empty string. A key the set lacks
 * triggers one refresh (rate-limited by the key source), then one more try.
 * Throws JwtRefused.
 */
export async function verifyJwt(
  token: string,
  provider: OidcProvider,
  keys: KeySource,
  nowMs: number,
): Promise<VerifiedClaims> {
  const options: JWTVerifyOptions = {
    issuer: provider.issuer,
    audience: provider.audience,
    algorithms: [...provider.algorithms],
    clockTolerance: LEEWAY_SECONDS,
    currentDate: new Date(nowMs),
    requiredClaims: ['exp', 'sub'],
  };
  let payload: JWTPayload;
  try {
    try {
      payload = await verifyWithKeys(token, keys.getKey, options);
    } catch (e) {
      if (!(e instanceof errors.JWKSNoMatchingKey) || !(await keys.refreshForUnknownKey())) throw e;
      payload = await verifyWithKeys(token, keys.getKey, options);
    }
  } catch (e) {
    throw new JwtRefused(e instanceof errors.JOSEError ? e.code : e instanceof Error ? e.name : 'unknown');
  }
  const now = nowMs / 1000;
  // jose grants the tolerance to `exp` too; the contract wants `exp` strictly in the future.
  if (typeof payload.exp !== 'number' || payload.exp <= now) throw new JwtRefused('ERR_JWT_EXPIRED');
  // jose checks `iat` only with maxTokenAge; a token issued in the future is refused here.
  if (payload.iat !== undefined && payload.iat > now + LEEWAY_SECONDS) throw new JwtRefused('ERR_JWT_IAT_FUTURE');
  if (typeof payload.sub !== 'string' || payload.sub === '' || payload.sub.length > 1024)
    throw new JwtRefused('ERR_JWT_SUB');
  return payload as VerifiedClaims;
}

/**
 * jwtVerify over a key set. Without a `kid`, several keys may fit the algorithm: jose then
 * throws JWKSMultipleMatchingKeys, which iterates over them, and the first that verifies wins.
 */
async function verifyWithKeys(token: string, getKey: JWTVerifyGetKey, options: JWTVerifyOptions): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, getKey, options)).payload;
  } catch (e) {
    if (!(e instanceof errors.JWKSMultipleMatchingKeys)) throw e;
    for await (const key of e) {
      try {
        return (await jwtVerify(token, key, options)).payload;
      } catch (inner) {
        if (!(inner instanceof errors.JWSSignatureVerificationFailed)) throw inner;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}
