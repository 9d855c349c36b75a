import type { ErrorCode } from '../errors/error-codes';
import { AwsFailure, AwsFailureKind } from './aws-error.classify';
import { Hop, isRejectedSession, toEcrAuthError } from './aws-error.mapper';

const JUMP_ARN = 'arn:aws:iam::111111111111:role/jump';
const CUSTOMER_ARN = 'arn:aws:iam::222222222222:role/ecr-pull';
const REGISTRY = '222222222222.dkr.ecr.eu-west-1.amazonaws.com';

const HOPS = {
  identity: { step: 'identity' },
  jump: { step: 'jump', roleArn: JUMP_ARN },
  viaJump: { step: 'customer', roleArn: CUSTOMER_ARN, trustedPrincipal: JUMP_ARN, externalIdSent: true, viaJump: true },
  direct: { step: 'customer', roleArn: CUSTOMER_ARN, externalIdSent: false, viaJump: false },
  ecrRole: { step: 'ecr', service: 'ecr', registry: REGISTRY, keyKind: 'role', roleArn: CUSTOMER_ARN },
  ecrStatic: { step: 'ecr', service: 'ecr', registry: REGISTRY, keyKind: 'static' },
} satisfies Record<string, Hop>;
type HopName = keyof typeof HOPS;

const failure = (kind: AwsFailureKind, name = 'SomeAwsError', detail = 'the reason'): AwsFailure => ({
  kind,
  name,
  status: 400,
  detail,
});

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
  it('ASSUME_ROLE_DENIED names the jump role as the principal to trust and says the external ID must be demanded', () => {
    const { message } = toEcrAuthError(failure('access-denied', 'AccessDenied'), HOPS.viaJump);
    expect(message).toContain(CUSTOMER_ARN);
    expect(message).toContain(`sts:AssumeRole to ${JUMP_ARN}`);
    expect(message).toMatch(/require \(sts:ExternalId condition\) exactly the external ID that was sent/);
  });

  it("ASSUME_ROLE_DENIED without a jump role names the service's identity and the missing external ID", () => {
    const { message } = toEcrAuthError(failure('access-denied', 'AccessDenied'), HOPS.direct);
    expect(message).toContain("sts:AssumeRole to the service's identity");
    expect(message).toContain('the request must carry the external ID it requires');
  });

  it.each([
    ['the jump hop fails', HOPS.jump, failure('access-denied', 'AccessDenied')],
    [
      'the jump session is refused on the customer hop',
      HOPS.viaJump,
      failure('caller-credentials-expired', 'ExpiredToken'),
    ],
  ])("JUMP_ROLE_FAILED says it is the operator's configuration when %s", (_why, hop, f) => {
    expect(toEcrAuthError(f, hop).message).toMatch(/operator/);
  });

  it('JUMP_ROLE_FAILED names the jump role, the AWS error and its (redacted) reason', () => {
    const { message } = toEcrAuthError(failure('access-denied', 'AccessDenied', 'not authorized'), HOPS.jump);
    expect(message).toContain(JUMP_ARN);
    expect(message).toContain('AccessDenied: not authorized');
    expect(message).toContain('ECR_AUTH_JUMP_ROLE_ARN');
  });

  it('SERVICE_CREDENTIALS_INVALID says it is an operator problem', () => {
    expect(toEcrAuthError(failure('caller-credentials', 'InvalidClientTokenId'), HOPS.identity).message).toMatch(
      /operator problem/,
    );
  });

  it('INVALID_REGISTRY_KEY carries the STS reason', () => {
    expect(
      toEcrAuthError(failure('validation', 'ValidationError', "Value [redacted] at 'externalId' failed"), HOPS.direct)
        .message,
    ).toContain("Value [redacted] at 'externalId' failed");
  });

  it.each([
    ['a role', HOPS.ecrRole, `the role ${CUSTOMER_ARN}`],
    ['a static key', HOPS.ecrStatic, 'the given access key'],
  ])('ECR_ACCESS_DENIED for %s names who lacks ecr:GetAuthorizationToken and the registry', (_why, hop, who) => {
    const { message } = toEcrAuthError(failure('access-denied'), hop);
    expect(message).toContain(who);
    expect(message).toContain(REGISTRY);
    expect(message).toContain('ecr:GetAuthorizationToken');
  });

  it.each([
    ['STS', HOPS.viaJump, 'AWS STS'],
    ['ECR', HOPS.ecrRole, 'Amazon ECR'],
  ])('upstream trouble names the service at fault (%s)', (_why, hop, service) => {
    expect(toEcrAuthError(failure('throttled', 'Throttling'), hop).message).toContain(service);
  });

  it('is retryable exactly for transient upstream trouble', () => {
    const retryable = CASES.filter(([kind, hop]) => toEcrAuthError(failure(kind), HOPS[hop]).retryable).map(
      ([kind]) => kind,
    );
    expect(new Set(retryable)).toEqual(new Set(['throttled', 'unavailable', 'timeout']));
  });
});

describe('isRejectedSession', () => {
  it.each([
    ...['ExpiredToken', 'ExpiredTokenException'].map((name) => [
      `a session ended early (${name})`,
      toEcrAuthError(failure('caller-credentials-expired', name), HOPS.viaJump),
      true,
    ]),
    ...['InvalidClientTokenId', 'UnrecognizedClientException'].map((name) => [
      `a session the upstream no longer knows (${name})`,
      toEcrAuthError(failure('caller-credentials', name), HOPS.viaJump),
      true,
    ]),
    [
      'a bad signature (the credentials are wrong, not the session)',
      toEcrAuthError(failure('caller-credentials', 'SignatureDoesNotMatch'), HOPS.viaJump),
      false,
    ],
    ['an error mapped from a denial', toEcrAuthError(failure('access-denied'), HOPS.viaJump), false],
    ['a plain Error', new Error('ExpiredToken'), false],
    ['undefined', undefined, false],
    ['null', null, false],
  ] as Array<[string, unknown, boolean]>)('%s → %s', (_why, error, expected) => {
    expect(isRejectedSession(error)).toBe(expected);
  });
});

describe('toEcrAuthError: trust policies without sts:SetSourceIdentity or sts:TagSession', () => {
  const refused = (action: string) =>
    failure(
      'access-denied',
      'AccessDenied',
      `User: arn:aws:sts::111111111111:assumed-role/jump/ecr-auth.jump.1700000000 is not authorized to perform: ${action} on resource: ${CUSTOMER_ARN}`,
    );

  it.each(['sts:SetSourceIdentity', 'sts:TagSession'])(
    'AccessDenied naming %s on the customer hop: 403 ASSUME_ROLE_DENIED naming it and the onboarding call',
    (action) => {
      const error = toEcrAuthError(refused(action), HOPS.viaJump);
      expect(error).toMatchObject({ code: 'ASSUME_ROLE_DENIED', status: 403 });
      expect(error.message).toContain(`STS refused ${action} on ${CUSTOMER_ARN}`);
      expect(error.message).toContain(`must allow ${action} to ${JUMP_ARN}`);
      expect(error.message).toContain("the jump role's permissions policy");
      expect(error.message).toContain('GET /onboarding/policies?externalId=<the external ID>');
    },
  );

  it("one hop: the service's identity is the principal, no jump role is mentioned", () => {
    const { message } = toEcrAuthError(refused('sts:SetSourceIdentity'), HOPS.direct);
    expect(message).toContain("must allow sts:SetSourceIdentity to the service's identity");
    expect(message).not.toContain('jump role');
  });

  it('an AccessDenied for sts:AssumeRole keeps the trust and external ID message', () => {
    expect(toEcrAuthError(refused('sts:AssumeRole'), HOPS.viaJump).message).toContain('sts:ExternalId');
  });

  it('on the jump hop it stays an operator problem', () => {
    expect(toEcrAuthError(refused('sts:TagSession'), HOPS.jump).code).toBe('JUMP_ROLE_FAILED');
  });
});

describe('toEcrAuthError: PackedPolicyTooLarge on the customer hop', () => {
  it.each(['PackedPolicyTooLarge', 'PackedPolicyTooLargeException'])(
    '%s is the request being too large: 400 INVALID_REQUEST with STS reason',
    (name) => {
      const f = failure('policy-rejected', name, 'Packed size of session tags and policy exceeds the limit (112%).');
      const error = toEcrAuthError(f, HOPS.viaJump);
      expect(error).toMatchObject({ code: 'INVALID_REQUEST', status: 400 });
      expect(error.message).toContain('112%');
      expect(error.message).toContain('sessionTags or repositories');
    },
  );

  it('a malformed policy stays ours: INTERNAL', () => {
    expect(toEcrAuthError(failure('policy-rejected', 'MalformedPolicyDocument'), HOPS.viaJump).code).toBe('INTERNAL');
  });
});
