import { EcrAuthError } from '../errors/ecr-auth.error';
import { OnboardingInputs, onboardingDocuments, renderOnboardingDocuments } from './onboarding-bundle';

const JUMP = 'arn:aws:iam::111111111111:role/ecr-auth-jump';
const EXTERNAL_ID = 'ext-SECRET-1234';
const base: OnboardingInputs = {
  externalId: EXTERNAL_ID,
  access: 'pull',
  kind: 'private',
  repositoryArns: [],
  partition: 'aws',
  jumpRoleArn: JUMP,
};

function refusal(inputs: Partial<OnboardingInputs>): EcrAuthError {
  try {
    renderOnboardingDocuments({ ...base, ...inputs });
  } catch (e) {
    if (e instanceof EcrAuthError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('renderOnboardingDocuments', () => {
  it('writes the four documents in key order, indented, with a final newline', () => {
    const text = renderOnboardingDocuments(base);
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text))).toEqual([
      'customerPermissionsPolicy',
      'customerTrustPolicy',
      'jumpRolePermissionsPolicy',
      'serviceIdentityPolicy',
    ]);
    expect(text).toBe(renderOnboardingDocuments({ ...base }));
  });

  it('two hops: customers trust the jump role', () => {
    const docs = onboardingDocuments(base);
    expect(docs.customerTrustPolicy.Statement[0].Principal).toEqual({ AWS: JUMP });
    expect(docs.jumpRolePermissionsPolicy).not.toBeNull();
    expect(docs.serviceIdentityPolicy.Statement[0].Resource).toBe(JUMP);
  });

  it('one hop: customers trust the service identity, no jump role document', () => {
    const service = 'arn:aws:iam::111111111111:role/ecr-auth-task';
    const docs = onboardingDocuments({ ...base, jumpRoleArn: undefined, serviceIdentityArn: service });
    expect(docs.customerTrustPolicy.Statement[0].Principal).toEqual({ AWS: service });
    expect(docs.jumpRolePermissionsPolicy).toBeNull();
    expect(
      JSON.parse(renderOnboardingDocuments({ ...base, jumpRoleArn: undefined, serviceIdentityArn: service }))
        .jumpRolePermissionsPolicy,
    ).toBeNull();
  });

  it.each([
    ['an external ID outside STS rules', { externalId: 'has space' }, 'INVALID_REGISTRY_KEY'],
    ['a too short external ID', { externalId: 'x' }, 'INVALID_REGISTRY_KEY'],
    ['a malformed repository ARN', { repositoryArns: ['arn:aws:s3:::bucket'] }, 'INVALID_REQUEST'],
    [
      'a repository ARN of another partition',
      { repositoryArns: ['arn:aws-cn:ecr:cn-north-1:123456789012:repository/x'] },
      'PARTITION_MISMATCH',
    ],
    [
      'too many repositories',
      { repositoryArns: Array.from({ length: 21 }, (_, i) => `arn:aws:ecr:*:*:repository/r${i}`) },
      'INVALID_REQUEST',
    ],
    ['a malformed jump role ARN', { jumpRoleArn: 'arn:aws:iam::1:role/x' }, 'INVALID_REQUEST'],
    ['a jump role of another partition', { jumpRoleArn: 'arn:aws-cn:iam::111111111111:role/j' }, 'PARTITION_MISMATCH'],
    ['neither a jump role nor a service identity', { jumpRoleArn: undefined }, 'INVALID_REQUEST'],
    [
      'a service identity of another partition',
      { jumpRoleArn: undefined, serviceIdentityArn: 'arn:aws-cn:iam::111111111111:user/u' },
      'PARTITION_MISMATCH',
    ],
    [
      'ECR Public outside partition aws',
      { kind: 'public', partition: 'aws-cn', jumpRoleArn: 'arn:aws-cn:iam::111111111111:role/j' },
      'PARTITION_MISMATCH',
    ],
  ] as const)('refuses %s', (_why, inputs, code) => {
    const e = refusal(inputs);
    expect(e.code).toBe(code);
  });

  it('never echoes a refused value', () => {
    const secretish = 'arn:aws:ecr:eu-west-1:123456789012:repository/SECRETISH';
    expect(refusal({ repositoryArns: [secretish] }).message).not.toContain('SECRETISH');
    expect(refusal({ externalId: 'SECRET ISH' }).message).not.toContain('SECRET');
  });

  it('labels fields as the caller names them', () => {
    expect(refusal({ jumpRoleArn: undefined }).message).toContain('serviceIdentityArn');
    expect(() => renderOnboardingDocuments({ ...base, jumpRoleArn: undefined }, (f) => `--${f}`)).toThrow(
      '--serviceIdentityArn',
    );
  });
});
