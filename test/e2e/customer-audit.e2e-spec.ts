import { fingerprint } from '../../src/config/api-tokens';
import type { AwsEmulator } from '../emulator/aws-emulator';
import { WORLD } from '../fixtures/aws-world';
import { assumes, AUDITED, audited, auditedService } from './customer-audit-world';
import { customerBody, type Harness, startHarness } from './harness';

/** The customer's CloudTrail and least privilege: SourceIdentity, session tags, repository-scoped sessions. */
describe('POST /registry-auth with SourceIdentity, session tags and repositories', () => {
  const service = auditedService();
  const { mint } = service;
  let emu: AwsEmulator;
  beforeAll(() => {
    emu = service.world.emu;
  });

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
