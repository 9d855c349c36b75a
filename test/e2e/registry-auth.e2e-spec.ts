import { WORLD } from '../fixtures/aws-world';
import { customerBody, type Harness } from './harness';
import { registryAuthService } from './registry-auth-world';

/** POST /registry-auth over HTTP, through the real SDK, against the emulator. */
describe('POST /registry-auth', () => {
  const service = registryAuthService();
  let h: Harness;
  beforeAll(() => (h = service.h));

  describe('a two-hop chain: service identity → jump role → customer role', () => {
    it('answers the docker login of the registry', async () => {
      const res = await h.post('/registry-auth', customerBody());
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.json).toEqual({
        registry: WORLD.customer.registry,
        username: 'AWS',
        password: expect.any(String),
        expiresAt: expect.any(String),
      });
      expect(h.emu.issuedEcrSecrets()).toContain(res.json.password);
    });

    it('answers expiresAt as the earlier of the token and the credentials expiry', async () => {
      const res = await h.post('/registry-auth', customerBody());
      // Session credentials last an hour; the ECR token twelve (both on the emulator's clock).
      const session = h.emu
        .issuedSessions()
        .filter((s) => s.roleArn === WORLD.customer.arn)
        .at(-1)!;
      const token = h.emu.issuedEcrTokens().at(-1)!;
      expect(session.expiresAt).toBeLessThan(token.expiresAt);
      // STS writes the expiry in whole seconds.
      expect(Date.parse(res.json.expiresAt)).toBe(Math.floor(session.expiresAt / 1000) * 1000);
    });

    it('normalises a URL form of the registry to its lower-case host', async () => {
      const res = await h.post(
        '/registry-auth',
        customerBody({ registry: `https://${WORLD.customer.registry.toUpperCase()}:443/v2/` }),
      );
      expect(res.status).toBe(200);
      expect(res.json.registry).toBe(WORLD.customer.registry);
    });

    it('takes the userName/password shape with a role ARN and its external ID', async () => {
      const res = await h.post('/registry-auth', {
        registry: WORLD.customer.registry,
        userName: WORLD.customer.arn,
        password: WORLD.customer.externalId,
      });
      expect(res.status).toBe(200);
      expect(
        h.emu.callsOf('sts', 'AssumeRole').find((c) => c.params.RoleArn === WORLD.customer.arn)?.params.ExternalId,
      ).toBe(WORLD.customer.externalId);
    });

    it('mints ECR Public tokens in us-east-1', async () => {
      const res = await h.post('/registry-auth', customerBody({ registry: 'public.ecr.aws' }));
      expect(res.status).toBe(200);
      expect(res.json.registry).toBe('public.ecr.aws');
      expect(h.emu.callsOf('ecr-public', 'GetAuthorizationToken')[0]).toMatchObject({
        region: 'us-east-1',
        status: 200,
      });
    });

    it('accepts a second configured API token', async () => {
      expect((await h.post('/registry-auth', customerBody(), { token: WORLD.secondApiToken })).status).toBe(200);
    });

    it("echoes the caller's X-Request-Id", async () => {
      const res = await h.post('/registry-auth', customerBody(), { headers: { 'x-request-id': 'build-42.step-7' } });
      expect(res.headers.get('x-request-id')).toBe('build-42.step-7');
    });
  });

  describe('static keys', () => {
    it('calls ECR directly with an access key pair', async () => {
      const res = await h.post('/registry-auth', {
        registry: WORLD.staticUser.registry,
        accessKeyId: WORLD.staticUser.accessKeyId,
        secretAccessKey: WORLD.staticUser.secretAccessKey,
      });
      expect(res.status).toBe(200);
      expect(h.emu.callsOf('sts')).toHaveLength(0);
      expect(h.emu.callsOf('ecr', 'GetAuthorizationToken')[0]).toMatchObject({
        accessKeyId: WORLD.staticUser.accessKeyId,
        region: 'us-west-2',
      });
    });

    it('takes the userName/password shape with an access key id and its secret', async () => {
      const res = await h.post('/registry-auth', {
        registry: WORLD.staticUser.registry,
        userName: WORLD.staticUser.accessKeyId,
        password: WORLD.staticUser.secretAccessKey,
      });
      expect(res.status).toBe(200);
    });

    it('answers INVALID_STATIC_CREDENTIALS for a wrong secret and for an unknown key', async () => {
      const wrong = await h.post('/registry-auth', {
        registry: WORLD.staticUser.registry,
        accessKeyId: WORLD.staticUser.accessKeyId,
        secretAccessKey: 'wrongSecretKey0000000000000000000000000001',
      });
      const unknown = await h.post('/registry-auth', {
        registry: WORLD.staticUser.registry,
        accessKeyId: 'AKIAUNKNOWN000000001',
        secretAccessKey: 'wrongSecretKey0000000000000000000000000001',
      });
      for (const res of [wrong, unknown]) {
        expect(res.status).toBe(403);
        expect(res.json.code).toBe('INVALID_STATIC_CREDENTIALS');
      }
    });
  });
});
