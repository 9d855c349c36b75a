import type { ErrorCode } from '../errors/error-codes';
import type { AwsFailureKind } from './aws-error.classify';
import { toEcrAuthError } from './aws-error.mapper';
import { failure, HOPS, type HopName } from '../../test/fixtures/aws-hops';

// Rows: failure kind, then the contract code for each hop in the order of HOPS.
const TABLE: Array<[AwsFailureKind, Record<HopName, ErrorCode>]> = [
  [
    'throttled',
    {
      identity: 'UPSTREAM_THROTTLED',
      jump: 'UPSTREAM_THROTTLED',
      viaJump: 'UPSTREAM_THROTTLED',
      direct: 'UPSTREAM_THROTTLED',
      ecrRole: 'UPSTREAM_THROTTLED',
      ecrStatic: 'UPSTREAM_THROTTLED',
    },
  ],
  [
    'unavailable',
    {
      identity: 'UPSTREAM_UNAVAILABLE',
      jump: 'UPSTREAM_UNAVAILABLE',
      viaJump: 'UPSTREAM_UNAVAILABLE',
      direct: 'UPSTREAM_UNAVAILABLE',
      ecrRole: 'UPSTREAM_UNAVAILABLE',
      ecrStatic: 'UPSTREAM_UNAVAILABLE',
    },
  ],
  [
    'timeout',
    {
      identity: 'UPSTREAM_TIMEOUT',
      jump: 'UPSTREAM_TIMEOUT',
      viaJump: 'UPSTREAM_TIMEOUT',
      direct: 'UPSTREAM_TIMEOUT',
      ecrRole: 'UPSTREAM_TIMEOUT',
      ecrStatic: 'UPSTREAM_TIMEOUT',
    },
  ],
  [
    'region-disabled',
    {
      identity: 'STS_REGION_DISABLED',
      jump: 'STS_REGION_DISABLED',
      viaJump: 'STS_REGION_DISABLED',
      direct: 'STS_REGION_DISABLED',
      ecrRole: 'STS_REGION_DISABLED',
      ecrStatic: 'STS_REGION_DISABLED',
    },
  ],
  [
    'access-denied',
    {
      identity: 'SERVICE_CREDENTIALS_INVALID',
      jump: 'JUMP_ROLE_FAILED',
      viaJump: 'ASSUME_ROLE_DENIED',
      direct: 'ASSUME_ROLE_DENIED',
      ecrRole: 'ECR_ACCESS_DENIED',
      ecrStatic: 'ECR_ACCESS_DENIED',
    },
  ],
  [
    'validation',
    {
      identity: 'SERVICE_CREDENTIALS_INVALID',
      jump: 'JUMP_ROLE_FAILED',
      viaJump: 'INVALID_REGISTRY_KEY',
      direct: 'INVALID_REGISTRY_KEY',
      ecrRole: 'INTERNAL',
      ecrStatic: 'INTERNAL',
    },
  ],
  [
    'caller-credentials',
    {
      identity: 'SERVICE_CREDENTIALS_INVALID',
      jump: 'SERVICE_CREDENTIALS_INVALID',
      viaJump: 'JUMP_ROLE_FAILED',
      direct: 'SERVICE_CREDENTIALS_INVALID',
      ecrRole: 'INTERNAL',
      ecrStatic: 'INVALID_STATIC_CREDENTIALS',
    },
  ],
  [
    'caller-credentials-expired',
    {
      identity: 'SERVICE_CREDENTIALS_INVALID',
      jump: 'SERVICE_CREDENTIALS_INVALID',
      viaJump: 'JUMP_ROLE_FAILED',
      direct: 'SERVICE_CREDENTIALS_INVALID',
      ecrRole: 'INTERNAL',
      ecrStatic: 'INVALID_STATIC_CREDENTIALS',
    },
  ],
  [
    'policy-rejected',
    {
      identity: 'SERVICE_CREDENTIALS_INVALID',
      jump: 'JUMP_ROLE_FAILED',
      viaJump: 'INTERNAL',
      direct: 'INTERNAL',
      ecrRole: 'INTERNAL',
      ecrStatic: 'INTERNAL',
    },
  ],
  [
    'unknown',
    {
      identity: 'SERVICE_CREDENTIALS_INVALID',
      jump: 'JUMP_ROLE_FAILED',
      viaJump: 'INTERNAL',
      direct: 'INTERNAL',
      ecrRole: 'INTERNAL',
      ecrStatic: 'INTERNAL',
    },
  ],
];

const CASES = TABLE.flatMap(([kind, byHop]) =>
  (Object.keys(byHop) as HopName[]).map((hop) => [kind, hop, byHop[hop]] as const),
);

describe('toEcrAuthError codes', () => {
  it.each(CASES)('%s on the %s hop → %s', (kind, hop, code) => {
    const error = toEcrAuthError(failure(kind), HOPS[hop]);
    expect(error.code).toBe(code);
  });

  it.each(CASES)('%s on the %s hop keeps the failure as its cause', (kind, hop) => {
    expect(toEcrAuthError(failure(kind, 'Xyz'), HOPS[hop]).cause).toEqual({
      name: 'Xyz',
      kind,
      status: 400,
      detail: 'the reason',
      hop: HOPS[hop].step,
    });
  });
});

describe('toEcrAuthError messages', () => {
  it('is retryable exactly for transient upstream trouble', () => {
    const retryable = CASES.filter(([kind, hop]) => toEcrAuthError(failure(kind), HOPS[hop]).retryable).map(
      ([kind]) => kind,
    );
    expect(new Set(retryable)).toEqual(new Set(['throttled', 'unavailable', 'timeout']));
  });
});
