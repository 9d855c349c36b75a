import { verifyResult } from '../../src/openapi/response-schemas';
import { WORLD } from '../fixtures/aws-world';
import { customerBody, type Harness } from './harness';
import { customerAssumes, onboardingService, OPEN_EXTERNAL_ID, verifyBody } from './onboarding-world';

describe('onboarding', () => {
  const service = onboardingService();
  let h: Harness;
  beforeAll(() => (h = service.h));

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
});
