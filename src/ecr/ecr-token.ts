import { EcrAuthError } from '../errors/ecr-auth.error';

/**
 * Decodes an ECR authorization token, base64 of `AWS:<secret>`, into the docker login pair.
 * Throws INTERNAL (without the token) when the token is not of that form.
 */
export function decodeAuthorizationToken(token: string): { username: string; password: string } {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) {
    throw new EcrAuthError('INTERNAL', 'ECR returned an authorization token that is not of the form user:password.');
  }
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * When a minted token stops being usable: the earlier of the token's own expiry and that
 * of the credentials that minted it (users report tokens dying with their session).
 */
export function effectiveExpiry(tokenExpiresAt: Date, credentialsExpireAt?: Date): Date {
  if (!credentialsExpireAt) return tokenExpiresAt;
  return credentialsExpireAt.getTime() < tokenExpiresAt.getTime() ? credentialsExpireAt : tokenExpiresAt;
}
