import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { run } from '../../src/cli/ecr-auth';
import { onboardingDocuments as documentsSchema, verifyResult } from '../../src/openapi/response-schemas';
import { AwsEmulator } from '../emulator/aws-emulator';
import { seedWorld, WORLD } from '../fixtures/aws-world';
import { itWithBuilt } from '../fixtures/outside-tools';
import { customerBody, expectNoSecrets, Harness, issuedSecrets, startHarness } from './harness';

/** An external ID for the open customer: its trust policy demands none, so any works. */
const OPEN_EXTERNAL_ID = 'open-customer-ext-3e7d';
const REPOSITORY = 'arn:aws:ecr:eu-west-1:222222222222:repository/team/app';
const CLI = join(__dirname, '..', '..', 'dist', 'cli', 'ecr-auth.js');

const verifyBody = (who: { registry: string; arn: string }, externalId: string) => ({
  registry: who.registry,
  roleArn: who.arn,
  externalId,
});
const customerAssumes = (emu: AwsEmulator, roleArn: string) =>
  emu.callsOf('sts', 'AssumeRole').filter((c) => c.params.RoleArn === roleArn);

function cli(...argv: string[]): string {
  let out = '';
  expect(run(argv, { stdout: (t) => (out += t), stderr: (t) => (out += t) })).toBe(0);
  return out;
}

describe('onboarding', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(() => {
    h.emu.clearFaults();
    h.emu.clearCalls();
  });
  afterAll(async () => {
    try {
      expectNoSecrets(h.logs, [...issuedSecrets(h.emu), OPEN_EXTERNAL_ID]);
      // Policy documents carry the external ID they were asked for, and a mint its password,
      // by design; no other answer may carry a secret.
      expectNoSecrets(
        h.bodies.filter((b) => !b.includes('"customerTrustPolicy"') && !b.includes('"username":"AWS"')),
        [...issuedSecrets(h.emu), OPEN_EXTERNAL_ID],
      );
    } finally {
      await h.close();
    }
  });

  describe('POST /registry-auth/verify', () => {
    it('a well-configured customer role passes the three checks', async () => {
      const res = await h.post('/registry-auth/verify', verifyBody(WORLD.customer, WORLD.customer.externalId));
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(verifyResult.parse(res.json)).toEqual({
        ok: true,
        checks: [
          { name: 'assume-with-external-id', ok: true, message: expect.stringContaining(WORLD.jump.arn) },
          { name: 'assume-without-external-id-refused', ok: true, message: expect.any(String) },
          { name: 'ecr-token', ok: true, message: expect.stringContaining(WORLD.customer.registry) },
        ],
      });
    });

    it("assumes through the jump role, with and then without the external ID, and mints in the registry's region", async () => {
      await h.post('/registry-auth/verify', verifyBody(WORLD.customer, WORLD.customer.externalId));
      const [withId, withoutId] = customerAssumes(h.emu, WORLD.customer.arn);
      expect(withId).toMatchObject({ status: 200, params: { ExternalId: WORLD.customer.externalId } });
      expect(withId.callerArn).toContain(':assumed-role/ecr-auth-jump/');
      expect(withoutId).toMatchObject({ status: 403, errorCode: 'AccessDenied' });
      expect(withoutId.params.ExternalId).toBeUndefined();
      expect(h.emu.callsOf('ecr', 'GetAuthorizationToken')).toMatchObject([{ region: 'eu-west-1', status: 200 }]);
    });

    it('a role open to the confused deputy fails on assume-without-external-id-refused, saying how to fix it', async () => {
      const res = await h.post('/registry-auth/verify', verifyBody(WORLD.openCustomer, OPEN_EXTERNAL_ID));
      expect(res.status).toBe(200);
      expect(res.json.ok).toBe(false);
      const failed = res.json.checks.filter((c: { ok: boolean }) => !c.ok);
      expect(failed.map((c: { name: string }) => c.name)).toEqual(['assume-without-external-id-refused']);
      expect(failed[0].message).toMatch(/WITHOUT an external ID/);
      expect(failed[0].message).toMatch(/confused deputy/);
      expect(failed[0].message).toContain('{"StringEquals":{"sts:ExternalId":"<the external ID>"}}');
      expect(res.text).not.toContain(OPEN_EXTERNAL_ID);
    });

    it('the session a probe obtains without the external ID can do nothing', async () => {
      await h.post('/registry-auth/verify', verifyBody(WORLD.openCustomer, OPEN_EXTERNAL_ID));
      const probe = h.emu
        .issuedSessions()
        .filter((s) => s.roleArn === WORLD.openCustomer.arn && s.externalId === undefined)
        .at(-1);
      expect(JSON.parse(probe!.policy!).Statement).toEqual([{ Effect: 'Deny', Action: '*', Resource: '*' }]);
    });

    it('a role without ECR permission fails on ecr-token, naming the permission', async () => {
      const res = await h.post(
        '/registry-auth/verify',
        verifyBody(WORLD.noEcrCustomer, WORLD.noEcrCustomer.externalId),
      );
      expect(res.status).toBe(200);
      expect(res.json.ok).toBe(false);
      expect(res.json.checks.map((c: { ok: boolean }) => c.ok)).toEqual([true, true, false]);
      expect(res.json.checks[2].message).toContain('ecr:GetAuthorizationToken');
    });

    it('a wrong external ID fails the first check and skips the token', async () => {
      const res = await h.post('/registry-auth/verify', verifyBody(WORLD.customer, 'not-the-right-external-id'));
      expect(res.status).toBe(200);
      expect(res.json.checks.map((c: { ok: boolean }) => c.ok)).toEqual([false, true, false]);
      expect(res.json.checks[0].message).toContain('sts:ExternalId');
      expect(h.emu.callsOf('ecr')).toHaveLength(0);
    });

    it('calls STS every time and leaves nothing in any cache: a mint afterwards still assumes the role', async () => {
      await h.post('/registry-auth/verify', verifyBody(WORLD.customer, WORLD.customer.externalId));
      await h.post('/registry-auth/verify', verifyBody(WORLD.customer, WORLD.customer.externalId));
      expect(customerAssumes(h.emu, WORLD.customer.arn).filter((c) => c.status === 200)).toHaveLength(2);
      const before = h.emu.callsOf('sts', 'AssumeRole').length;
      const mint = await h.post('/registry-auth', customerBody());
      expect(mint.status).toBe(200);
      expect(h.emu.callsOf('sts', 'AssumeRole').length).toBeGreaterThan(before);
      expect(customerAssumes(h.emu, WORLD.customer.arn).at(-1)!.params.Policy).toBeUndefined();
      // The verify answers never carried a token.
      for (const secret of h.emu.issuedEcrSecrets())
        expect(h.bodies.filter((b) => b.includes('"checks"')).join('\n')).not.toContain(secret);
    });

    it.each([
      [
        'a registry that is not ECR',
        { registry: 'registry.example.com', roleArn: WORLD.customer.arn, externalId: WORLD.customer.externalId },
        400,
        'UNSUPPORTED_REGISTRY',
      ],
      [
        'no external ID',
        { registry: WORLD.customer.registry, roleArn: WORLD.customer.arn },
        400,
        'EXTERNAL_ID_REQUIRED',
      ],
      ['no role', { registry: WORLD.customer.registry, externalId: WORLD.customer.externalId }, 400, 'INVALID_REQUEST'],
      [
        'an access key instead of a role',
        {
          registry: WORLD.customer.registry,
          roleArn: WORLD.staticUser.accessKeyId,
          externalId: WORLD.customer.externalId,
        },
        400,
        'INVALID_REGISTRY_KEY',
      ],
      [
        'a prototype key',
        JSON.parse(
          `{"registry":"${WORLD.customer.registry}","roleArn":"${WORLD.customer.arn}","externalId":"ext-1","constructor":{}}`,
        ),
        400,
        'INVALID_REQUEST',
      ],
    ])('refuses %s locally, as POST /registry-auth would, before any call', async (_why, body, status, code) => {
      const res = await h.post('/registry-auth/verify', body);
      expect(res.status).toBe(status);
      expect(res.json.code).toBe(code);
      expect(h.emu.calls).toHaveLength(0);
    });

    it('needs the API token', async () => {
      const res = await h.post('/registry-auth/verify', verifyBody(WORLD.customer, WORLD.customer.externalId), {
        token: null,
      });
      expect(res.status).toBe(401);
      expect(h.emu.calls).toHaveLength(0);
    });

    it('an STS outage is an error, not a verdict on the customer', async () => {
      h.emu.inject({ kind: 'server-error', service: 'sts', times: Infinity });
      const res = await h.post('/registry-auth/verify', verifyBody(WORLD.customer, WORLD.customer.externalId));
      // The jump session may be held from earlier tests: the failure is then the customer hop's.
      expect(res.status).toBe(503);
      expect(res.json.code).toBe('UPSTREAM_UNAVAILABLE');
    });
  });

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
