import { isRejectedSession, toEcrAuthError } from './aws-error.mapper';
import { CUSTOMER_ARN, failure, HOPS, JUMP_ARN, REGISTRY } from '../../test/fixtures/aws-hops';

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
