import { canonicalJson } from './canonical-json';
import {
  customerPermissionsPolicy,
  customerTrustPolicy,
  jumpRolePermissionsPolicy,
  jumpRoleTrustPolicy,
  serviceIdentityPolicy,
} from './onboarding-documents';

const JUMP = 'arn:aws:iam::111111111111:role/ecr-auth-jump';
const SERVICE = 'arn:aws:iam::111111111111:role/ecr-auth-task';
const REPO = 'arn:aws:ecr:eu-west-1:222222222222:repository/app';

const actionsOf = (doc: { Statement: readonly { Action: string | readonly string[] }[] }) =>
  doc.Statement.flatMap((s) => [s.Action].flat());

describe('customerTrustPolicy', () => {
  it('lets the jump role assume the role only with the external ID', () => {
    expect(customerTrustPolicy({ trustedPrincipal: JUMP, externalId: 'ext-1' })).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'EcrAuthAssume',
          Effect: 'Allow',
          Principal: { AWS: JUMP },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'ext-1' } },
        },
      ],
    });
  });

  it('gives the same bytes for the same input', () => {
    const a = canonicalJson(customerTrustPolicy({ trustedPrincipal: JUMP, externalId: 'ext-1' }), 2);
    expect(canonicalJson(customerTrustPolicy({ externalId: 'ext-1', trustedPrincipal: JUMP }), 2)).toBe(a);
  });
});

describe('customerPermissionsPolicy', () => {
  it('pull: the login on *, image reads on every repository, no write', () => {
    const doc = customerPermissionsPolicy('pull');
    expect(doc.Statement[0]).toEqual({
      Sid: 'EcrAuthLogin',
      Effect: 'Allow',
      Action: 'ecr:GetAuthorizationToken',
      Resource: '*',
    });
    expect(doc.Statement[1].Resource).toBe('arn:aws:ecr:*:*:repository/*');
    expect(actionsOf(doc)).toContain('ecr:BatchGetImage');
    expect(actionsOf(doc)).not.toContain('ecr:PutImage');
  });

  it('push: adds the upload actions', () => {
    expect(actionsOf(customerPermissionsPolicy('push'))).toEqual(
      expect.arrayContaining(['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:BatchGetImage']),
    );
  });

  it('scopes repository actions to the given ARNs, never the login', () => {
    const one = customerPermissionsPolicy('pull', { repositoryArns: [REPO] });
    expect(one.Statement[0].Resource).toBe('*');
    expect(one.Statement[1].Resource).toBe(REPO);
    const two = customerPermissionsPolicy('pull', { repositoryArns: [REPO, `${REPO}2`] });
    expect(two.Statement[1].Resource).toEqual([REPO, `${REPO}2`]);
  });

  it('ECR Public: both login actions, ecr-public repository actions', () => {
    const doc = customerPermissionsPolicy('push', { kind: 'public' });
    expect(doc.Statement[0].Action).toEqual(['ecr-public:GetAuthorizationToken', 'sts:GetServiceBearerToken']);
    expect(doc.Statement[1].Resource).toBe('arn:aws:ecr-public::*:repository/*');
    expect(actionsOf(doc)).toContain('ecr-public:PutImage');
  });

  it('uses the partition in the default resource', () => {
    expect(customerPermissionsPolicy('pull', { partition: 'aws-cn' }).Statement[1].Resource).toBe(
      'arn:aws-cn:ecr:*:*:repository/*',
    );
  });
});

describe('operator documents', () => {
  it('the jump role may assume roles of its partition', () => {
    expect(jumpRolePermissionsPolicy('aws-us-gov').Statement).toEqual([
      {
        Sid: 'EcrAuthAssumeCustomerRoles',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: 'arn:aws-us-gov:iam::*:role/*',
      },
    ]);
  });

  it('the service identity may assume the jump role, or customer roles in one hop', () => {
    expect(serviceIdentityPolicy(JUMP, 'aws').Statement[0].Resource).toBe(JUMP);
    expect(serviceIdentityPolicy(undefined, 'aws').Statement[0].Resource).toBe('arn:aws:iam::*:role/*');
  });

  it('the jump role trusts the service identity, with its external ID when there is one', () => {
    expect(jumpRoleTrustPolicy({ serviceIdentityArn: SERVICE, externalId: 'jump-ext' }).Statement[0]).toMatchObject({
      Principal: { AWS: SERVICE },
      Condition: { StringEquals: { 'sts:ExternalId': 'jump-ext' } },
    });
    expect(jumpRoleTrustPolicy({ serviceIdentityArn: SERVICE }).Statement[0].Condition).toBeUndefined();
  });
});

describe('documents for SourceIdentity and session tags', () => {
  const both = { sourceIdentity: true, sessionTags: true };

  it.each([
    ['SourceIdentity', { sourceIdentity: true }, 'sts:SetSourceIdentity'],
    ['session tags', { sessionTags: true }, 'sts:TagSession'],
    ['both', both, ['sts:SetSourceIdentity', 'sts:TagSession']],
  ])('%s: the trust policy allows it to the principal in a statement of its own', (_why, features, action) => {
    const [assume, extra, ...rest] = customerTrustPolicy({
      trustedPrincipal: JUMP,
      externalId: 'ext-1',
      features,
    }).Statement;
    expect(assume).toEqual({
      Sid: 'EcrAuthAssume',
      Effect: 'Allow',
      Principal: { AWS: JUMP },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': 'ext-1' } },
    });
    expect(extra).toEqual({ Sid: 'EcrAuthSessionContext', Effect: 'Allow', Principal: { AWS: JUMP }, Action: action });
    expect(rest).toEqual([]);
  });

  it('off: nothing more than sts:AssumeRole anywhere', () => {
    for (const features of [undefined, {}, { sourceIdentity: false, sessionTags: false }]) {
      expect(actionsOf(customerTrustPolicy({ trustedPrincipal: JUMP, externalId: 'ext-1', features }))).toEqual([
        'sts:AssumeRole',
      ]);
      expect(actionsOf(jumpRolePermissionsPolicy('aws', features))).toEqual(['sts:AssumeRole']);
      expect(actionsOf(serviceIdentityPolicy(undefined, 'aws', features))).toEqual(['sts:AssumeRole']);
    }
  });

  it("the caller's permissions allow them too (role chaining): the jump role's, or with one hop the service identity's", () => {
    expect(actionsOf(jumpRolePermissionsPolicy('aws', both))).toEqual([
      'sts:AssumeRole',
      'sts:SetSourceIdentity',
      'sts:TagSession',
    ]);
    expect(actionsOf(serviceIdentityPolicy(undefined, 'aws', both))).toEqual([
      'sts:AssumeRole',
      'sts:SetSourceIdentity',
      'sts:TagSession',
    ]);
  });

  it('the service identity assuming the jump role needs nothing more: the jump hop carries neither', () => {
    expect(actionsOf(serviceIdentityPolicy(JUMP, 'aws', both))).toEqual(['sts:AssumeRole']);
  });
});
