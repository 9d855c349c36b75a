import { run } from '../../src/cli/ecr-auth';
import type { AwsEmulator } from '../emulator/aws-emulator';
import { type CallRecord } from '../emulator/emulator.types';
import { WORLD } from '../fixtures/aws-world';
import { assumes, audited, AUDITED, auditedService, NAMED_TOKEN } from './customer-audit-world';
import { type Harness } from './harness';

/** The customer's CloudTrail and least privilege: SourceIdentity, session tags, repository-scoped sessions. */
describe('POST /registry-auth with SourceIdentity, session tags and repositories', () => {
  const service = auditedService();
  const { mint } = service;
  let emu: AwsEmulator;
  let h: Harness;
  beforeAll(() => {
    ({ emu, h } = service.world);
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
