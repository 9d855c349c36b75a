import { run } from '../../src/cli/ecr-auth';
import { fingerprint } from '../../src/config/api-tokens';
import { AwsEmulator } from '../emulator/aws-emulator';
import type { CallRecord } from '../emulator/emulator.types';
import { seedWorld, WORLD } from '../fixtures/aws-world';
import { customerBody, expectNoSecrets, Harness, issuedSecrets, startHarness } from './harness';

/** A customer role whose trust also lets the jump role set a SourceIdentity and tag sessions. */
const AUDITED = {
  arn: 'arn:aws:iam::222222222222:role/ecr-audited',
  externalId: 'audited-ext-id-4d2c',
};
const NAMED_TOKEN = 'named-api-token-00112233445566';
const audited = (extra: Record<string, unknown> = {}) =>
  customerBody({ roleArn: AUDITED.arn, externalId: AUDITED.externalId, ...extra });

const assumes = (emu: AwsEmulator, roleArn: string): CallRecord[] =>
  emu.callsOf('sts', 'AssumeRole').filter((c) => c.params.RoleArn === roleArn);

/** The customer's CloudTrail and least privilege: SourceIdentity, session tags, repository-scoped sessions. */
describe('POST /registry-auth with SourceIdentity, session tags and repositories', () => {
  let emu: AwsEmulator;
  let h: Harness;
  beforeAll(async () => {
    emu = await AwsEmulator.start();
    seedWorld(emu);
    emu.addRole({
      arn: AUDITED.arn,
      trust: [
        { principal: WORLD.jump.arn, externalId: AUDITED.externalId },
        { principal: WORLD.jump.arn, actions: ['sts:SetSourceIdentity', 'sts:TagSession'] },
      ],
    });
    h = await startHarness({
      emulator: emu,
      env: {
        ECR_AUTH_API_TOKENS: `ci-nightly ${NAMED_TOKEN},${WORLD.apiToken}`,
        ECR_AUTH_SOURCE_IDENTITY: 'caller',
        ECR_AUTH_SESSION_TAG_KEYS: 'pipeline,team',
      },
    });
  });
  afterEach(async () => {
    for (const roleArn of [AUDITED.arn, WORLD.customer.arn]) await h.delete('/registry-auth/cache', { roleArn });
    emu.clearCalls();
  });
  afterAll(async () => {
    expectNoSecrets(h.logs, issuedSecrets(emu));
    expectNoSecrets(h.bodies.filter((b) => !b.includes('"username":"AWS"')));
    await h.close();
    await emu.close();
  });

  const mint = (body: Record<string, unknown>, token = NAMED_TOKEN) => h.post('/registry-auth', body, { token });

  describe('SourceIdentity and session tags', () => {
    it('the customer hop carries the caller name and the tags; the jump hop neither', async () => {
      const res = await mint(audited({ sessionTags: { team: 'platform', pipeline: 'nightly' } }));
      expect(res.status).toBe(200);
      const [customer] = assumes(emu, AUDITED.arn);
      expect(customer).toMatchObject({
        status: 200,
        sourceIdentity: 'ci-nightly',
        tags: [
          { key: 'pipeline', value: 'nightly' },
          { key: 'team', value: 'platform' },
        ],
      });
      for (const jump of assumes(emu, WORLD.jump.arn)) {
        expect(jump.sourceIdentity).toBeUndefined();
        expect(jump.tags).toBeUndefined();
      }
      expect(emu.issuedSessions().find((s) => s.roleArn === AUDITED.arn)?.sourceIdentity).toBe('ci-nightly');
    });

    it('an unnamed token is named by its fingerprint', async () => {
      expect((await mint(audited(), WORLD.apiToken)).status).toBe(200);
      expect(assumes(emu, AUDITED.arn)[0].sourceIdentity).toBe(fingerprint(WORLD.apiToken));
    });

    it('the same tags again, in any order, are a cache hit', async () => {
      const first = await mint(audited({ sessionTags: { pipeline: 'nightly', team: 'platform' } }));
      const calls = emu.calls.length;
      const again = await mint(audited({ sessionTags: { team: 'platform', pipeline: 'nightly' } }));
      expect(again.json.password).toBe(first.json.password);
      expect(emu.calls.length).toBe(calls);
    });

    it('other tags, or none, mint a session of their own and never get the tagged token', async () => {
      const tagged = await mint(audited({ sessionTags: { pipeline: 'nightly' } }));
      const other = await mint(audited({ sessionTags: { pipeline: 'weekly' } }));
      const none = await mint(audited());
      const passwords = [tagged, other, none].map((r) => r.json.password);
      expect(new Set(passwords).size).toBe(3);
      expect(assumes(emu, AUDITED.arn).map((c) => c.tags)).toEqual([
        [{ key: 'pipeline', value: 'nightly' }],
        [{ key: 'pipeline', value: 'weekly' }],
        undefined,
      ]);
    });

    it('another caller gets a session (and a token) of its own', async () => {
      const a = await mint(audited());
      const b = await mint(audited(), WORLD.apiToken);
      expect(a.json.password).not.toBe(b.json.password);
      expect(assumes(emu, AUDITED.arn).map((c) => c.sourceIdentity)).toEqual([
        'ci-nightly',
        fingerprint(WORLD.apiToken),
      ]);
    });

    it.each([
      [
        'a key outside ECR_AUTH_SESSION_TAG_KEYS',
        { owner: 'x' },
        'sessionTags: only the keys pipeline, team are allowed',
      ],
      ['an aws: key', { 'aws:team': 'x' }, "not starting with 'aws:'"],
      ['a value STS would refuse', { pipeline: 'night"ly!' }, 'sessionTags: each value must be'],
      ['a value too long', { pipeline: 'v'.repeat(257) }, 'sessionTags: each value must be'],
      ['a list', ['pipeline'], 'sessionTags: expected record'],
      ['a string', 'pipeline=nightly', 'sessionTags: expected record'],
    ])('refuses %s: 400 INVALID_REQUEST before any call, never echoing the value', async (_why, sessionTags, text) => {
      const res = await mint(audited({ sessionTags }));
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining(text) });
      expect(res.text).not.toMatch(/night"ly|vvvvvvvv|aws:team/);
      expect(emu.calls).toEqual([]);
    });

    it('a role whose trust lacks sts:SetSourceIdentity: 403 ASSUME_ROLE_DENIED naming it and the onboarding call', async () => {
      const res = await mint(customerBody());
      expect(res.status).toBe(403);
      expect(res.json.code).toBe('ASSUME_ROLE_DENIED');
      expect(res.json.message).toContain(`STS refused sts:SetSourceIdentity on ${WORLD.customer.arn}`);
      expect(res.json.message).toContain(`must allow sts:SetSourceIdentity to ${WORLD.jump.arn}`);
      expect(res.json.message).toContain('GET /onboarding/policies?externalId=<the external ID>');
      expect(res.text).not.toContain(WORLD.customer.externalId);
    });

    it('a static key ignores tags (there is no session to tag)', async () => {
      const res = await mint({
        registry: WORLD.staticUser.registry,
        accessKeyId: WORLD.staticUser.accessKeyId,
        secretAccessKey: WORLD.staticUser.secretAccessKey,
        sessionTags: { pipeline: 'nightly' },
      });
      expect(res.status).toBe(200);
      expect(emu.callsOf('sts')).toEqual([]);
    });
  });

  describe('repositories', () => {
    const policyOf = (call: CallRecord) => JSON.parse(call.params.Policy) as { Statement: Statement[] };
    interface Statement {
      Action: string | string[];
      Resource: string | string[];
    }
    const arn = (name: string) => `arn:aws:ecr:eu-west-1:222222222222:repository/${name}`;

    it("pull: each repository's ARN in the registry's region and account, pull actions only, no image action on *", async () => {
      const res = await mint(audited({ repositories: ['team/base-*', 'team/app'] }));
      expect(res.status).toBe(200);
      const statements = policyOf(assumes(emu, AUDITED.arn)[0]).Statement;
      const [login, images] = statements;
      expect(login).toMatchObject({ Action: 'ecr:GetAuthorizationToken', Resource: '*' });
      expect(statements.filter((s) => [s.Resource].flat().includes('*')).flatMap((s) => [s.Action].flat())).toEqual([
        'ecr:GetAuthorizationToken',
      ]);
      expect(images).toMatchObject({
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        Resource: [arn('team/app'), arn('team/base-*')],
      });
      expect(emu.callsOf('ecr', 'GetAuthorizationToken').at(-1)?.status).toBe(200);
    });

    it('push adds the upload actions', async () => {
      await mint(audited({ repositories: ['team/app'], access: 'push' }));
      const [, images] = policyOf(assumes(emu, AUDITED.arn)[0]).Statement;
      expect(images.Action).toEqual(
        expect.arrayContaining(['ecr:InitiateLayerUpload', 'ecr:CompleteLayerUpload', 'ecr:PutImage']),
      );
      expect(images.Resource).toEqual([arn('team/app')]);
    });

    it('reordered lists share a token; other lists do not', async () => {
      const a = await mint(audited({ repositories: ['team/app', 'team/base'] }));
      const b = await mint(audited({ repositories: ['team/base', 'team/app', 'team/app'] }));
      const c = await mint(audited({ repositories: ['team/app'] }));
      expect(b.json.password).toBe(a.json.password);
      expect(c.json.password).not.toBe(a.json.password);
      expect(assumes(emu, AUDITED.arn)).toHaveLength(2);
    });

    it.each([
      ['an upper-case name', ['Team/App'], 'repositories (item 1): must be an ECR repository name'],
      ['an empty part', ['team//app'], 'repositories (item 1): must be an ECR repository name'],
      [
        'a list over the policy budget',
        Array.from({ length: 40 }, (_, i) => `team/service-${i}-${'x'.repeat(20)}`),
        "each repository counts its name's length plus 63, and together at most 1683",
      ],
    ])('refuses %s: 400 before any call', async (_why, repositories, text) => {
      const res = await mint(audited({ repositories }));
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining(text) });
      expect(emu.calls).toEqual([]);
    });

    it('refuses repositories for ECR Public (its host names no account)', async () => {
      const res = await mint(audited({ registry: 'public.ecr.aws', repositories: ['team/app'] }));
      expect([res.status, res.json.code]).toEqual([400, 'INVALID_REQUEST']);
      expect(res.json.message).toContain('private registries');
    });
  });

  describe('onboarding', () => {
    it('the documents grant sts:SetSourceIdentity and sts:TagSession to the jump role, apart from the external-ID statement', async () => {
      const res = await h.get(`/onboarding/policies?externalId=${AUDITED.externalId}&access=pull`, {
        token: NAMED_TOKEN,
      });
      expect(res.status).toBe(200);
      expect(res.json.customerTrustPolicy.Statement).toEqual([
        expect.objectContaining({
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': AUDITED.externalId } },
        }),
        {
          Sid: 'EcrAuthSessionContext',
          Effect: 'Allow',
          Principal: { AWS: WORLD.jump.arn },
          Action: ['sts:SetSourceIdentity', 'sts:TagSession'],
        },
      ]);
      expect(res.json.jumpRolePermissionsPolicy.Statement[0].Action).toEqual([
        'sts:AssumeRole',
        'sts:SetSourceIdentity',
        'sts:TagSession',
      ]);
    });

    it('are what `ecr-auth policies` prints offline with the same features, byte for byte', async () => {
      const repository = 'arn:aws:ecr:eu-west-1:222222222222:repository/team/app';
      const res = await h.get(
        `/onboarding/policies?externalId=${AUDITED.externalId}&access=push&repositoryArn=${encodeURIComponent(repository)}`,
        { token: NAMED_TOKEN },
      );
      expect(res.status).toBe(200);
      let stdout = '';
      const argv = ['policies', '--external-id', AUDITED.externalId, '--access', 'push'];
      argv.push('--jump-role-arn', WORLD.jump.arn, '--repository-arn', repository);
      // As the deployment is configured: ECR_AUTH_SOURCE_IDENTITY and ECR_AUTH_SESSION_TAG_KEYS.
      argv.push('--source-identity', 'caller', '--session-tag-keys', 'pipeline,team');
      expect(run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stdout += t) })).toBe(0);
      expect(stdout).toBe(res.text);
    });

    it('verify checks them: passes for a role that allows them', async () => {
      const res = await h.post(
        '/registry-auth/verify',
        { registry: WORLD.customer.registry, roleArn: AUDITED.arn, externalId: AUDITED.externalId },
        { token: NAMED_TOKEN },
      );
      expect(res.status).toBe(200);
      expect(res.json.checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([
        ['assume-with-external-id', true],
        ['assume-without-external-id-refused', true],
        ['ecr-token', true],
        ['set-source-identity', true],
        ['tag-session', true],
      ]);
      expect(res.json.ok).toBe(true);
      expect(assumes(emu, AUDITED.arn).map((c) => [c.sourceIdentity, c.tags?.[0]?.key])).toContainEqual([
        'ci-nightly',
        undefined,
      ]);
    });

    it('verify fails a role whose trust lacks them, naming the fix', async () => {
      const res = await h.post(
        '/registry-auth/verify',
        { registry: WORLD.customer.registry, roleArn: WORLD.customer.arn, externalId: WORLD.customer.externalId },
        { token: NAMED_TOKEN },
      );
      expect(res.json.ok).toBe(false);
      const byName = Object.fromEntries(res.json.checks.map((c: { name: string }) => [c.name, c]));
      expect(byName['set-source-identity']).toMatchObject({
        ok: false,
        message: expect.stringContaining('sts:SetSourceIdentity'),
      });
      expect(byName['tag-session']).toMatchObject({
        ok: false,
        message: expect.stringContaining('GET /onboarding/policies'),
      });
      expect(byName['assume-with-external-id'].ok).toBe(true);
    });
  });
});

describe('with SourceIdentity and session tags off (the default)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('onboarding documents grant sts:AssumeRole and nothing more', async () => {
    const res = await h.get(`/onboarding/policies?externalId=${WORLD.customer.externalId}&access=pull`);
    const actions = (doc: { Statement: Array<{ Action: string | string[] }> }) =>
      doc.Statement.flatMap((s) => [s.Action].flat());
    expect(actions(res.json.customerTrustPolicy)).toEqual(['sts:AssumeRole']);
    expect(actions(res.json.jumpRolePermissionsPolicy)).toEqual(['sts:AssumeRole']);
    expect(actions(res.json.serviceIdentityPolicy)).toEqual(['sts:AssumeRole']);
  });

  it('no SourceIdentity is set, and sessionTags are refused', async () => {
    expect((await h.post('/registry-auth', customerBody())).status).toBe(200);
    expect(h.emu.callsOf('sts', 'AssumeRole').every((c) => c.sourceIdentity === undefined)).toBe(true);
    const res = await h.post('/registry-auth', customerBody({ sessionTags: { pipeline: 'x' } }));
    expect([res.status, res.json.code]).toEqual([400, 'INVALID_REQUEST']);
    expect(res.json.message).toContain('ECR_AUTH_SESSION_TAG_KEYS is empty');
  });

  it('verify answers the three checks alone', async () => {
    const res = await h.post('/registry-auth/verify', {
      registry: WORLD.customer.registry,
      roleArn: WORLD.customer.arn,
      externalId: WORLD.customer.externalId,
    });
    expect(res.json.checks.map((c: { name: string }) => c.name)).toEqual([
      'assume-with-external-id',
      'assume-without-external-id-refused',
      'ecr-token',
    ]);
  });
});
