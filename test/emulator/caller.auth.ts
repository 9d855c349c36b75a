/** Authenticates a request: access key, session token, SigV4 signature, expiry, partition. */
import { partitionOfRegion } from './arn.util';
import { AwsError, authErrors } from './aws-error';
import type { ServiceName } from './emulator.types';
import { type Caller, callerOf, type IdentityStore } from './identity.store';
import { parseAmzDate, parseAuthorization, type ReceivedRequest, verifySignature } from './sigv4.verify';
import { isoSeconds } from './xml.util';

export interface AuthInput {
  service: ServiceName;
  request: ReceivedRequest;
  headers: Record<string, string | string[] | undefined>;
  now: number;
  store: IdentityStore;
  maxClockSkewSeconds?: number;
}

const header = (h: AuthInput['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Returns the caller, or throws the AwsError the real service would answer. */
export function authenticate(input: AuthInput): Caller {
  const { service, headers, store } = input;
  const authorization = header(headers, 'authorization');
  if (!authorization) throw authErrors.missing(service);
  const auth = parseAuthorization(authorization);
  if ('error' in auth) throw authErrors.incomplete(service, auth.error);
  if (auth.service !== service)
    throw authErrors.badSignature(service, `Credential should be scoped to correct service: '${service}'. `);

  const found = store.lookup(auth.accessKeyId);
  const caller = callerOf(found);
  if (!caller) throw authErrors.invalidToken(service);
  const token = header(headers, 'x-amz-security-token');
  if (found.session ? token !== found.session.sessionToken : token !== undefined)
    throw authErrors.invalidToken(service);

  const secret = found.session?.secretAccessKey ?? found.user!.secretAccessKey;
  const verdict = verifySignature(input.request, auth, secret);
  if (!verdict.ok) throw authErrors.badSignature(service, verdict.message);

  if (input.maxClockSkewSeconds !== undefined) {
    const amzDate = header(headers, 'x-amz-date') ?? '';
    const signedAt = parseAmzDate(amzDate);
    const skew = input.maxClockSkewSeconds * 1000;
    if (!(Math.abs(signedAt - input.now) <= skew)) {
      const now = isoSeconds(input.now).replace(/[-:]/g, '');
      const limit = isoSeconds(signedAt < input.now ? input.now - skew : input.now + skew).replace(/[-:]/g, '');
      const relation = signedAt < input.now ? 'earlier' : 'later';
      throw authErrors.badSignature(
        service,
        `Signature expired: ${amzDate} is now ${relation} than ${limit} (${now} ${signedAt < input.now ? '-' : '+'} ${input.maxClockSkewSeconds / 60} min.)`,
      );
    }
  }

  if (found.session && input.now >= found.session.expiresAt) throw authErrors.expired(service);
  if (partitionOfRegion(auth.region) !== caller.partition) throw authErrors.invalidToken(service);
  return caller;
}

/** STS refuses calls in a region where it is not activated for the caller's account. */
export function assertRegionEnabled(store: IdentityStore, region: string, caller: Caller): void {
  if (store.disabledRegions.has(region)) {
    throw new AwsError(
      403,
      'RegionDisabledException',
      `STS is not activated in this region for account:${caller.account}. Your account administrator can activate STS in this region using the IAM Console.`,
    );
  }
}
