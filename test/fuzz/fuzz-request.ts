/**
 * What every generator of the fuzz suite shares: the request as bytes on the wire, the fixed
 * seed, the routes, the seeded PRNG and small builders. Nothing here talks to the network.
 */
import fc from 'fast-check';
import { WORLD } from '../fixtures/aws-world';

/** One request, as bytes on the wire. */
export interface FuzzRequest {
  /** The family that made it, for reports. */
  readonly family: string;
  readonly method: string;
  readonly path: string;
  /** Extra headers. Values are latin1 strings: each character is one byte on the wire. */
  readonly headers: Record<string, string>;
  /** `undefined`: the harness's valid API token; `null`: no Authorization header; else the raw header value. */
  readonly authorization?: string | null;
  readonly body?: Buffer;
  /** Sends the body with Transfer-Encoding: chunked, in this many pieces. */
  readonly chunks?: number;
  /** When set, the only statuses this request may get (beyond the suite's general rules). */
  readonly expect?: readonly number[];
}

export const FUZZ_SEED = 0x5eed_ec2a;
/** The service's default body limit (ECR_AUTH_MAX_BODY_BYTES). */
export const BODY_LIMIT = 16_384;

/** The field names of the contract's request bodies. */
export const CONTRACT_FIELDS = [
  'registry',
  'roleArn',
  'externalId',
  'accessKeyId',
  'secretAccessKey',
  'sessionToken',
  'userName',
  'password',
  'access',
] as const;

export const JSON_TYPE = { 'content-type': 'application/json' };
export const MINT = '/registry-auth';
export const EVICT = '/registry-auth/cache';
export const VERIFY = '/registry-auth/verify';
export const POLICIES = '/onboarding/policies';

/** mulberry32: a tiny seeded PRNG for the hand-written families. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
export const int = (rnd: () => number, max: number): number => Math.floor(rnd() * max);
export const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
export const json = (v: unknown): Buffer => utf8(JSON.stringify(v));

export function post(family: string, body: Buffer | undefined, extra: Partial<FuzzRequest> = {}): FuzzRequest {
  return { family, method: 'POST', path: MINT, headers: body === undefined ? {} : { ...JSON_TYPE }, body, ...extra };
}

export function sample<T>(arb: fc.Arbitrary<T>, seed: number, numRuns: number): T[] {
  return fc.sample(arb, { seed, numRuns });
}

/** The valid main customer body with a given registry value. */
export const withRegistry = (registry: unknown): Record<string, unknown> => ({
  registry,
  roleArn: WORLD.customer.arn,
  externalId: WORLD.customer.externalId,
});

/** Renders a request so a failure can be replayed by hand. */
export function describeRequest(r: FuzzRequest, max = 600): string {
  const text = r.body === undefined ? '(no body)' : r.body.toString('utf8');
  const binary = r.body !== undefined && !Buffer.from(text, 'utf8').equals(r.body);
  const shown = binary ? `base64:${r.body.toString('base64')}` : JSON.stringify(text);
  const headers = {
    ...r.headers,
    ...(r.authorization === undefined
      ? {}
      : { authorization: r.authorization === null ? '(none)' : r.authorization.slice(0, 60) }),
  };
  return `${r.method} ${r.path.slice(0, 200)} ${JSON.stringify(headers).slice(0, 300)}${r.chunks ? ` chunked×${r.chunks}` : ''} body(${r.body?.length ?? 0} bytes)=${shown.length > max ? `${shown.slice(0, max)}…` : shown}`;
}
