import { spawnSync } from 'node:child_process';
import { onboardingDocuments as documentsSchema } from '../../src/openapi/response-schemas';
import { AwsEmulator } from '../emulator/aws-emulator';
import { seedWorld, WORLD } from '../fixtures/aws-world';
import { itWithBuilt } from '../fixtures/outside-tools';
import { expectNoSecrets, type Harness, issuedSecrets, startHarness } from './harness';
import { CLI, cli, onboardingService, REPOSITORY, verifyBody } from './onboarding-world';

describe('onboarding', () => {
  const service = onboardingService();
  let h: Harness;
  beforeAll(() => (h = service.h));

  describe('GET /onboarding/policies', () => {
    const policies = (query: string) => h.get(`/onboarding/policies?${query}`);
    const ext = encodeURIComponent(WORLD.customer.externalId);

    it('pull: image reads, no writes; canonical JSON, not cached', async () => {
      const res = await policies(`externalId=${ext}&access=pull`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      documentsSchema.parse(res.json);
      expect(Object.keys(res.json)).toEqual([
        'customerPermissionsPolicy',
        'customerTrustPolicy',
        'jumpRolePermissionsPolicy',
        'serviceIdentityPolicy',
      ]);
      const permissions = JSON.stringify(res.json.customerPermissionsPolicy);
      expect(permissions).toContain('ecr:BatchGetImage');
      expect(permissions).not.toContain('ecr:PutImage');
    });

    it('push: adds the writes', async () => {
      expect(
        JSON.stringify((await policies(`externalId=${ext}&access=push`)).json.customerPermissionsPolicy),
      ).toContain('ecr:PutImage');
    });

    it('access defaults to pull', async () => {
      expect((await policies(`externalId=${ext}`)).text).toBe((await policies(`externalId=${ext}&access=pull`)).text);
    });

    it('the customer trusts the jump role with the external ID; the service may assume the jump role', async () => {
      const { json } = await policies(`externalId=${ext}`);
      expect(json.customerTrustPolicy.Statement).toEqual([
        {
          Sid: 'EcrAuthAssume',
          Effect: 'Allow',
          Principal: { AWS: WORLD.jump.arn },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': WORLD.customer.externalId } },
        },
      ]);
      expect(json.serviceIdentityPolicy.Statement[0].Resource).toBe(WORLD.jump.arn);
      expect(json.jumpRolePermissionsPolicy.Statement[0]).toMatchObject({
        Action: 'sts:AssumeRole',
        Resource: 'arn:aws:iam::*:role/*',
      });
    });

    it('the same request gives the same bytes, parameters in any order', async () => {
      const a = await policies(`externalId=${ext}&access=push&repositoryArn=${encodeURIComponent(REPOSITORY)}`);
      const b = await policies(`repositoryArn=${encodeURIComponent(REPOSITORY)}&access=push&externalId=${ext}`);
      expect(a.status).toBe(200);
      expect(b.text).toBe(a.text);
      expect(a.json.customerPermissionsPolicy.Statement[1].Resource).toBe(REPOSITORY);
    });

    it('is what `ecr-auth policies` prints offline for the same inputs, byte for byte', async () => {
      const res = await policies(
        `externalId=${ext}&access=push&repositoryArn=${encodeURIComponent(REPOSITORY)}&repositoryArn=${encodeURIComponent(`${REPOSITORY}-2`)}`,
      );
      expect(
        cli(
          'policies',
          '--external-id',
          WORLD.customer.externalId,
          '--access',
          'push',
          '--jump-role-arn',
          WORLD.jump.arn,
          '--repository-arn',
          REPOSITORY,
          '--repository-arn',
          `${REPOSITORY}-2`,
        ),
      ).toBe(res.text);
    });

    itWithBuilt(CLI)('the built ecr-auth binary prints the same bytes', async () => {
      const res = await policies(`externalId=${ext}`);
      const out = spawnSync(
        process.execPath,
        [CLI, 'policies', '--external-id', WORLD.customer.externalId, '--jump-role-arn', WORLD.jump.arn],
        { encoding: 'utf8' },
      );
      expect(out.status).toBe(0);
      expect(out.stdout).toBe(res.text);
    });

    it('calls no AWS API with a jump role configured', async () => {
      await policies(`externalId=${ext}`);
      expect(h.emu.calls).toHaveLength(0);
    });

    it.each([
      ['no external ID', 'access=pull', 'INVALID_REQUEST'],
      ['an external ID outside STS rules', 'externalId=a%20b', 'INVALID_REGISTRY_KEY'],
      ['a one-character external ID', 'externalId=a', 'INVALID_REGISTRY_KEY'],
      ['an unknown access', `externalId=${ext}&access=admin`, 'INVALID_REQUEST'],
      ['two external IDs', `externalId=${ext}&externalId=other-id`, 'INVALID_REQUEST'],
      [
        'a repository of another partition',
        `externalId=${ext}&repositoryArn=${encodeURIComponent('arn:aws-cn:ecr:cn-north-1:222222222222:repository/x')}`,
        'PARTITION_MISMATCH',
      ],
      ['a malformed repository ARN', `externalId=${ext}&repositoryArn=arn:aws:s3:::bucket`, 'INVALID_REQUEST'],
    ])('refuses %s', async (_why, query, code) => {
      const res = await policies(query);
      expect(res.status).toBe(400);
      expect(res.json.code).toBe(code);
      expect(res.text).not.toContain(WORLD.customer.externalId);
    });

    it('needs the API token', async () => {
      expect((await h.get(`/onboarding/policies?externalId=${ext}`, { token: null })).status).toBe(401);
    });
  });
});

describe('onboarding without a jump role (one hop)', () => {
  let h: Harness;
  let emu: AwsEmulator;
  beforeAll(async () => {
    emu = await AwsEmulator.start();
    seedWorld(emu);
    h = await startHarness({
      emulator: emu,
      env: { ECR_AUTH_JUMP_ROLE_ARN: undefined, ECR_AUTH_JUMP_EXTERNAL_ID: undefined },
    });
  });
  afterAll(async () => {
    try {
      expectNoSecrets(h.logs, issuedSecrets(emu));
    } finally {
      await h.close();
      await emu.close();
    }
  });

  it('customers trust the service identity, found once with GetCallerIdentity', async () => {
    const first = await h.get('/onboarding/policies?externalId=direct-ext-0b1d');
    const second = await h.get('/onboarding/policies?externalId=direct-ext-0b1d&access=push');
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.json.customerTrustPolicy.Statement[0].Principal).toEqual({ AWS: WORLD.service.arn });
    expect(first.json.jumpRolePermissionsPolicy).toBeNull();
    expect(first.json.serviceIdentityPolicy.Statement[0].Resource).toBe('arn:aws:iam::*:role/*');
    expect(emu.callsOf('sts', 'GetCallerIdentity')).toHaveLength(1);
    expect(cli('policies', '--external-id', 'direct-ext-0b1d', '--service-identity-arn', WORLD.service.arn)).toBe(
      first.text,
    );
  });

  it('verifies a role that trusts the service identity directly', async () => {
    const res = await h.post(
      '/registry-auth/verify',
      verifyBody(WORLD.directCustomer, WORLD.directCustomer.externalId),
    );
    expect(res.json).toMatchObject({ ok: true });
    expect(res.json.checks[0].message).toContain("the service's own identity");
  });
});
