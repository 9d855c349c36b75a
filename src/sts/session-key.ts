import { createHmac, randomBytes } from 'node:crypto';
import type { CustomerTarget } from './role-chain';

/** Per process: held sessions never leave it, so their keys need no shared secret. */
const SECRET = randomBytes(32);

/**
 * The key of a held customer session: an HMAC of everything STS judges (role, external ID,
 * session policy, SourceIdentity, tags), shared across the regions of one role, showing none
 * of it (external IDs are secrets). A JSON array is an unambiguous encoding of the tuple.
 */
export function sessionKey(target: Omit<CustomerTarget, 'host'>): string {
  const { role, externalId, policy, sourceIdentity, sessionTags } = target;
  const tags = (sessionTags ?? []).map((t) => [t.key, t.value]);
  const tuple = JSON.stringify([role.arn, externalId ?? null, policy ?? null, sourceIdentity ?? null, tags]);
  return `ses:${createHmac('sha256', SECRET).update(tuple).digest('base64url')}`;
}
