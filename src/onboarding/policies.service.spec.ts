import type { AwsApis, StsApi } from '../aws/aws.ports';
import { Upstream } from '../aws/upstream';
import { parseConfig } from '../config/parse-config';
import { renderOnboardingDocuments } from '../policies/onboarding-bundle';
import { PoliciesService } from './policies.service';

const JUMP = 'arn:aws:iam::111111111111:role/ecr-auth-jump';
const QUERY = { externalId: 'ext-1234', access: 'pull', kind: 'private' } as const;

/** A strict STS fake: only GetCallerIdentity, only when scripted. */
function service(env: Record<string, string>, callerIdentity?: StsApi['callerIdentity']) {
  const calls: string[] = [];
  const aws: AwsApis = {
    sts: (caller) => {
      calls.push(`sts:${typeof caller === 'string' ? caller : 'session'}`);
      return {
        assumeRole: () => Promise.reject(new Error('unscripted AssumeRole')),
        callerIdentity: callerIdentity ?? (() => Promise.reject(new Error('unscripted GetCallerIdentity'))),
      };
    },
    ecr: () => {
      throw new Error('unscripted ecr');
    },
  };
  const config = parseConfig({ AWS_REGION: 'eu-west-1', ECR_AUTH_RETRY_MAX_ATTEMPTS: '1', ...env });
  return { policies: new PoliciesService(config, aws, new Upstream(config)), calls };
}

describe('PoliciesService', () => {
  it('two hops: the documents for the jump role, without calling AWS', async () => {
    const s = service({ ECR_AUTH_JUMP_ROLE_ARN: JUMP });
    const text = await s.policies.render({
      ...QUERY,
      repositoryArn: 'arn:aws:ecr:eu-west-1:222222222222:repository/app',
    });
    expect(text).toBe(
      renderOnboardingDocuments({
        externalId: 'ext-1234',
        access: 'pull',
        kind: 'private',
        repositoryArns: ['arn:aws:ecr:eu-west-1:222222222222:repository/app'],
        partition: 'aws',
        jumpRoleArn: JUMP,
      }),
    );
    expect(s.calls).toEqual([]);
  });

  it('one hop: asks STS who the service is, once, and names a session by its role', async () => {
    let asked = 0;
    const s = service({}, async () => {
      asked++;
      return { arn: 'arn:aws:sts::111111111111:assumed-role/ecr-auth-task/abc', account: '111111111111' };
    });
    const first = JSON.parse(await s.policies.render(QUERY));
    await s.policies.render({ ...QUERY, access: 'push' });
    expect(first.customerTrustPolicy.Statement[0].Principal).toEqual({
      AWS: 'arn:aws:iam::111111111111:role/ecr-auth-task',
    });
    expect(first.jumpRolePermissionsPolicy).toBeNull();
    expect(asked).toBe(1);
  });

  it("a failed look-up is not remembered, and is the service's problem", async () => {
    let fail = true;
    const s = service({}, async () => {
      if (fail)
        throw Object.assign(new Error('bad key'), { name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } });
      return { arn: 'arn:aws:iam::111111111111:user/ecr-auth', account: '111111111111' };
    });
    await expect(s.policies.render(QUERY)).rejects.toMatchObject({ code: 'SERVICE_CREDENTIALS_INVALID' });
    fail = false;
    expect(JSON.parse(await s.policies.render(QUERY)).customerTrustPolicy.Statement[0].Principal.AWS).toBe(
      'arn:aws:iam::111111111111:user/ecr-auth',
    );
  });

  it('refuses bad input before calling AWS', async () => {
    const s = service({});
    await expect(s.policies.render({ ...QUERY, externalId: 'x' })).rejects.toMatchObject({
      code: 'INVALID_REGISTRY_KEY',
    });
    await expect(s.policies.render({ ...QUERY, repositoryArn: ['nope'] })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect(s.calls).toEqual([]);
  });
});
