import { apiTokenCaller } from '../auth/caller';
import { Logger } from '@nestjs/common';
import type { AwsApis, EcrApi, EcrTarget, SessionCredentials } from '../aws/aws.ports';
import { Upstream } from '../aws/upstream';
import { parseConfig } from '../config/parse-config';
import { EcrAuthError } from '../errors/ecr-auth.error';
import type { CustomerTarget } from '../sts/role-chain';
import type { RoleChainService } from '../sts/role-chain.service';
import { VerifyService } from './verify.service';

const JUMP = 'arn:aws:iam::111111111111:role/ecr-auth-jump';
const ROLE = 'arn:aws:iam::222222222222:role/ecr-pull';
const REGISTRY = '222222222222.dkr.ecr.eu-west-1.amazonaws.com';
const EXTERNAL_ID = 'customer-ext-SECRET';
const BODY = { registry: REGISTRY, roleArn: ROLE, externalId: EXTERNAL_ID };

const CREDENTIALS: SessionCredentials = {
  accessKeyId: 'ASIA0000000000000001',
  secretAccessKey: 'x'.repeat(40),
  sessionToken: 't'.repeat(100),
  expiration: new Date(Date.now() + 3600_000),
};
const denied = () => new EcrAuthError('ASSUME_ROLE_DENIED', `STS refused to assume ${ROLE}.`);

type AssumeAnswer = (target: CustomerTarget) => Promise<SessionCredentials>;
type EcrAnswer = () => Promise<{ authorizationToken: string; expiresAt: Date }>;

/** Strict fakes: a call nobody scripted fails the test. */
function world(
  script: { withId?: AssumeAnswer; withoutId?: AssumeAnswer; ecr?: EcrAnswer },
  env: Record<string, string> = {},
) {
  const assumes: Array<{ target: CustomerTarget; options: unknown }> = [];
  const ecrTargets: EcrTarget[] = [];
  const chain = {
    assumeCustomer: (target: CustomerTarget, _deadline: unknown, options: unknown) => {
      assumes.push({ target, options });
      const answer = target.externalId === undefined ? script.withoutId : script.withId;
      if (!answer)
        throw new Error(`unscripted assume (${target.externalId === undefined ? 'without' : 'with'} external ID)`);
      return answer(target);
    },
  } as unknown as RoleChainService;
  const aws: AwsApis = {
    sts: () => {
      throw new Error('unscripted sts');
    },
    ecr: (target): EcrApi => {
      ecrTargets.push(target);
      if (!script.ecr) throw new Error('unscripted ecr');
      return { getAuthorizationToken: script.ecr };
    },
  };
  const config = parseConfig({
    AWS_REGION: 'eu-west-1',
    ECR_AUTH_JUMP_ROLE_ARN: JUMP,
    ECR_AUTH_RETRY_MIN_DELAY_MS: '0',
    ECR_AUTH_RETRY_MAX_DELAY_MS: '0',
    ...env,
  });
  return { service: new VerifyService(config, aws, new Upstream(config), chain), assumes, ecrTargets };
}

const token: EcrAnswer = async () => ({
  authorizationToken: Buffer.from('AWS:secret-token-value').toString('base64'),
  expiresAt: new Date(Date.now() + 43200_000),
});
const ok: AssumeAnswer = async () => CREDENTIALS;
const sdkError = (name: string, status: number) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });

describe('VerifyService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('a well-configured role passes the three checks, in order', async () => {
    const w = world({ withId: ok, withoutId: async () => Promise.reject(denied()), ecr: token });
    const result = await w.service.verify(BODY);
    expect(result.ok).toBe(true);
    expect(result.checks.map((c) => [c.name, c.ok])).toEqual([
      ['assume-with-external-id', true],
      ['assume-without-external-id-refused', true],
      ['ecr-token', true],
    ]);
    expect(result.checks[0].message).toContain(JUMP);
  });

  it('never reuses nor keeps held sessions, scopes the check session and makes the probe worthless', async () => {
    const w = world({ withId: ok, withoutId: async () => Promise.reject(denied()), ecr: token });
    await w.service.verify(BODY);
    expect(w.assumes.map((a) => a.options)).toEqual([{ reuse: false }, { reuse: false }]);
    const [withId, withoutId] = w.assumes.map((a) => a.target);
    expect(withId).toMatchObject({ externalId: EXTERNAL_ID, role: { arn: ROLE }, host: { host: REGISTRY } });
    expect(JSON.parse(withId.policy!).Statement[0].Action).toEqual([
      'ecr:GetAuthorizationToken',
      'ecr:BatchGetImage',
      'ecr:GetDownloadUrlForLayer',
      'ecr:BatchCheckLayerAvailability',
    ]);
    expect(withoutId.externalId).toBeUndefined();
    expect(JSON.parse(withoutId.policy!).Statement).toEqual([{ Effect: 'Deny', Action: '*', Resource: '*' }]);
    expect(w.ecrTargets).toEqual([{ kind: 'private', region: 'eu-west-1', fips: false, dualStack: false }]);
  });

  it('a role assumable without the external ID fails, saying how to close it', async () => {
    const w = world({ withId: ok, withoutId: ok, ecr: token });
    const result = await w.service.verify(BODY);
    expect(result.ok).toBe(false);
    const open = result.checks.find((c) => c.name === 'assume-without-external-id-refused')!;
    expect(open.ok).toBe(false);
    expect(open.message).toMatch(/confused deputy/);
    expect(open.message).toContain('"sts:ExternalId"');
    expect(result.checks.filter((c) => !c.ok)).toHaveLength(1);
  });

  it('a role without ECR permission fails on ecr-token, naming the missing action', async () => {
    const w = world({
      withId: ok,
      withoutId: async () => Promise.reject(denied()),
      ecr: async () => Promise.reject(sdkError('AccessDeniedException', 400)),
    });
    const result = await w.service.verify(BODY);
    expect(result.ok).toBe(false);
    const ecr = result.checks.find((c) => c.name === 'ecr-token')!;
    expect(ecr).toMatchObject({ ok: false });
    expect(ecr.message).toContain('ecr:GetAuthorizationToken');
  });

  it('ECR Public names its two actions', async () => {
    const w = world({
      withId: ok,
      withoutId: async () => Promise.reject(denied()),
      ecr: async () => Promise.reject(sdkError('AccessDeniedException', 400)),
    });
    const result = await w.service.verify({ ...BODY, registry: 'public.ecr.aws' });
    expect(result.checks[2].message).toContain('ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken');
    expect(w.ecrTargets[0]).toMatchObject({ kind: 'public', region: 'us-east-1' });
  });

  it('a role that refuses the external ID fails the first check and skips the token', async () => {
    const w = world({ withId: async () => Promise.reject(denied()), withoutId: async () => Promise.reject(denied()) });
    const result = await w.service.verify(BODY);
    expect(result.checks.map((c) => c.ok)).toEqual([false, true, false]);
    expect(result.checks[0].message).toContain('sts:ExternalId');
    expect(result.checks[2].message).toMatch(/^Not run/);
    expect(w.ecrTargets).toEqual([]);
  });

  it('never puts the external ID in a message', async () => {
    const w = world({ withId: async () => Promise.reject(denied()), withoutId: ok });
    const result = await w.service.verify(BODY);
    expect(JSON.stringify(result)).not.toContain(EXTERNAL_ID);
  });

  it.each([
    ['the jump role fails', new EcrAuthError('JUMP_ROLE_FAILED', 'jump'), 'JUMP_ROLE_FAILED'],
    ['STS is throttling', new EcrAuthError('UPSTREAM_THROTTLED', 'slow down'), 'UPSTREAM_THROTTLED'],
    [
      'the service identity is broken',
      new EcrAuthError('SERVICE_CREDENTIALS_INVALID', 'creds'),
      'SERVICE_CREDENTIALS_INVALID',
    ],
  ])('answers the usual error, not a verdict, when %s', async (_why, error, code) => {
    const w = world({ withId: async () => Promise.reject(error) });
    await expect(w.service.verify(BODY)).rejects.toMatchObject({ code });
  });

  it('answers UPSTREAM_UNAVAILABLE when ECR keeps failing', async () => {
    const w = world(
      { withId: ok, ecr: async () => Promise.reject(sdkError('ServerException', 500)) },
      { ECR_AUTH_RETRY_MAX_ATTEMPTS: '2' },
    );
    await expect(w.service.verify(BODY)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it.each([
    ['a registry that is not ECR', { registry: 'registry.example.com' }, 'UNSUPPORTED_REGISTRY'],
    ['no external ID', { externalId: undefined }, 'EXTERNAL_ID_REQUIRED'],
    ['an empty external ID', { externalId: '' }, 'EXTERNAL_ID_REQUIRED'],
    ['an external ID outside STS rules', { externalId: 'has space' }, 'INVALID_REGISTRY_KEY'],
    ['a user ARN', { roleArn: 'arn:aws:iam::222222222222:user/u' }, 'INVALID_REGISTRY_KEY'],
    ['a role of another partition', { roleArn: 'arn:aws-cn:iam::222222222222:role/r' }, 'PARTITION_MISMATCH'],
  ])('refuses locally, before any call: %s', async (_why, patch, code) => {
    const w = world({});
    await expect(w.service.verify({ ...BODY, ...patch })).rejects.toMatchObject({ code });
    expect(w.assumes).toEqual([]);
  });

  it("refuses accounts outside ECR_AUTH_ALLOWED_ACCOUNTS and the API token's accounts", async () => {
    await expect(world({}, { ECR_AUTH_ALLOWED_ACCOUNTS: '999999999999' }).service.verify(BODY)).rejects.toMatchObject({
      code: 'ACCOUNT_NOT_ALLOWED',
    });
    const caller = apiTokenCaller({ token: 't', fingerprint: 'f', accounts: new Set(['999999999999']) });
    await expect(world({}).service.verify(BODY, caller)).rejects.toMatchObject({ code: 'ACCOUNT_NOT_ALLOWED' });
  });
});
