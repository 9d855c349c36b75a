import { WORLD } from '../fixtures/aws-world';
import { REFUSED_HOSTS } from '../fixtures/registry-hosts';
import { customerBody, expectNoSecrets, Harness, issuedSecrets, startHarness } from './harness';

/** POST /registry-auth over HTTP, through the real SDK, against the emulator. */
describe('POST /registry-auth', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    h.emu.clearFaults();
    // Each test meets AWS afresh: evict what earlier tests cached.
    for (const roleArn of [WORLD.customer.arn, WORLD.noEcrCustomer.arn])
      await h.delete('/registry-auth/cache', { roleArn });
    for (const registry of [WORLD.staticUser.registry, 'public.ecr.aws'])
      await h.delete('/registry-auth/cache', { registry });
    h.emu.clearCalls();
  });
  afterAll(async () => {
    expectNoSecrets(h.logs, issuedSecrets(h.emu));
    expectNoSecrets(h.bodies.filter((b) => !b.includes('"username":"AWS"')));
    await h.close();
  });

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

  describe('refusals made locally, before any AWS call', () => {
    afterEach(() => expect(h.emu.calls).toHaveLength(0));

    it('401 without a token or with a wrong one, whatever the body', async () => {
      for (const token of [null, 'not-a-token-at-all-xxxxxxxx']) {
        const res = await h.post('/registry-auth', undefined, {
          token,
          raw: '{not json',
          headers: { 'content-type': 'text/plain' },
        });
        expect(res.status).toBe(401);
        expect(res.json).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED', requestId: expect.any(String) });
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
      }
    });

    it.each([
      [
        'body not JSON',
        { raw: '{"registry":', headers: { 'content-type': 'application/json' } },
        400,
        'INVALID_REQUEST',
      ],
      ['a JSON array', { raw: '[1,2]', headers: { 'content-type': 'application/json' } }, 400, 'INVALID_REQUEST'],
      [
        '__proto__ smuggling',
        { raw: '{"registry":"x","__proto__":{"admin":true}}', headers: { 'content-type': 'application/json' } },
        400,
        'INVALID_REQUEST',
      ],
      [
        'a nested prototype key',
        { raw: '{"registry":"x","a":{"prototype":1}}', headers: { 'content-type': 'application/json' } },
        400,
        'INVALID_REQUEST',
      ],
      ['text/plain', { raw: 'registry=x', headers: { 'content-type': 'text/plain' } }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [
        'a body over the limit',
        {
          raw: JSON.stringify({ registry: 'x', pad: 'a'.repeat(200_000) }),
          headers: { 'content-type': 'application/json' },
        },
        413,
        'PAYLOAD_TOO_LARGE',
      ],
    ])('%s', async (_name, init, status, code) => {
      const res = await h.post('/registry-auth', undefined, init);
      expect(res.status).toBe(status);
      expect(res.json).toMatchObject({
        statusCode: status,
        code,
        message: expect.any(String),
        requestId: expect.any(String),
      });
    });

    it.each([
      ['missing registry', { roleArn: WORLD.customer.arn, externalId: WORLD.customer.externalId }, 'INVALID_REQUEST'],
      ['registry not a string', customerBody({ registry: 42 }), 'INVALID_REQUEST'],
      ['unknown access', customerBody({ access: 'admin' }), 'INVALID_REQUEST'],
      ['malformed role ARN', customerBody({ roleArn: 'arn:aws:iam::2222:role/x' }), 'INVALID_REGISTRY_KEY'],
      ['external ID outside STS rules', customerBody({ externalId: 'has spaces in it' }), 'INVALID_REGISTRY_KEY'],
      ['no key at all', { registry: WORLD.customer.registry }, 'INVALID_REGISTRY_KEY'],
      [
        'a role in another partition',
        customerBody({ roleArn: 'arn:aws-cn:iam::222222222222:role/ecr-pull' }),
        'PARTITION_MISMATCH',
      ],
      [
        'a registry in another partition',
        customerBody({ registry: '222222222222.dkr.ecr.cn-north-1.amazonaws.com.cn' }),
        'PARTITION_MISMATCH',
      ],
      ['a role without external ID', customerBody({ externalId: undefined }), 'EXTERNAL_ID_REQUIRED'],
    ])('%s → %s', async (_name, body, code) => {
      const res = await h.post('/registry-auth', body);
      expect(res.status).toBe(400);
      expect(res.json.code).toBe(code);
    });

    it.each(REFUSED_HOSTS.slice(0, 40).map((r) => [r.input, r.why]))('refuses %j (%s)', async (input) => {
      const res = await h.post('/registry-auth', customerBody({ registry: input }));
      expect(res.status).toBe(400);
      expect(['UNSUPPORTED_REGISTRY', 'INVALID_REQUEST']).toContain(res.json.code);
    });

    it('404 NOT_FOUND for an unknown route', async () => {
      const res = await h.get('/nope');
      expect(res.status).toBe(404);
      expect(res.json.code).toBe('NOT_FOUND');
    });
  });

  describe('refusals by AWS', () => {
    it('ASSUME_ROLE_DENIED for a wrong external ID, naming the jump role, tried once', async () => {
      const res = await h.post('/registry-auth', customerBody({ externalId: 'wrong-external-id' }));
      expect(res.status).toBe(403);
      expect(res.json.code).toBe('ASSUME_ROLE_DENIED');
      expect(res.json.message).toContain(WORLD.jump.arn);
      expect(res.json.message).not.toContain('wrong-external-id');
      expect(h.emu.callsOf('sts', 'AssumeRole').filter((c) => c.params.RoleArn === WORLD.customer.arn)).toHaveLength(1);
    });

    it('ECR_ACCESS_DENIED when the role may not call GetAuthorizationToken', async () => {
      const res = await h.post('/registry-auth', {
        registry: WORLD.noEcrCustomer.registry,
        roleArn: WORLD.noEcrCustomer.arn,
        externalId: WORLD.noEcrCustomer.externalId,
      });
      expect(res.status).toBe(403);
      expect(res.json.code).toBe('ECR_ACCESS_DENIED');
    });

    it('INVALID_REGISTRY_KEY for STS ValidationError on the customer hop, values redacted', async () => {
      h.emu.inject({
        service: 'sts',
        action: 'AssumeRole',
        kind: 'error',
        status: 400,
        code: 'ValidationError',
        message: `1 validation error detected: Value '${WORLD.customer.externalId}' at 'externalId' failed to satisfy constraint`,
      });
      // The jump hop is held from earlier requests, so the fault meets the customer hop.
      const res = await h.post('/registry-auth', customerBody());
      expect(res.status).toBe(400);
      expect(res.json.code).toBe('INVALID_REGISTRY_KEY');
      expect(res.json.message).toContain('externalId');
      expect(res.text).not.toContain(WORLD.customer.externalId);
    });

    it('STS_REGION_DISABLED when STS is off in the service region', async () => {
      h.emu.disableRegion(WORLD.region);
      try {
        const res = await h.post('/registry-auth', customerBody());
        expect(res.status).toBe(403);
        expect(res.json.code).toBe('STS_REGION_DISABLED');
      } finally {
        h.emu.enableRegion(WORLD.region);
      }
    });

    it('INTERNAL with a request id for an unknown AWS error, cause logged', async () => {
      h.emu.inject({ service: 'ecr', kind: 'error', status: 400, code: 'WeirdNewException', message: 'something new' });
      const res = await h.post('/registry-auth', customerBody());
      expect(res.status).toBe(500);
      expect(res.json).toMatchObject({ code: 'INTERNAL', requestId: res.headers.get('x-request-id') });
      expect(h.logs.some((l) => l.includes(res.json.requestId) && l.includes('WeirdNewException'))).toBe(true);
    });
  });

  describe('retries', () => {
    it('retries throttling to success', async () => {
      h.emu.inject({ service: 'sts', action: 'AssumeRole', kind: 'throttle', times: 2 });
      const res = await h.post('/registry-auth', customerBody());
      expect(res.status).toBe(200);
      expect(h.emu.callsOf('sts', 'AssumeRole').filter((c) => c.params.RoleArn === WORLD.customer.arn)).toHaveLength(3);
    });

    it('retries ECR 5xx to success', async () => {
      h.emu.inject({ service: 'ecr', kind: 'server-error', times: 1 });
      expect((await h.post('/registry-auth', customerBody())).status).toBe(200);
      expect(h.emu.callsOf('ecr')).toHaveLength(2);
    });

    it('503 UPSTREAM_THROTTLED with Retry-After once the budget is spent, after exactly the configured attempts', async () => {
      h.emu.inject({ service: 'sts', action: 'AssumeRole', kind: 'throttle', times: Infinity });
      const res = await h.post('/registry-auth', customerBody());
      expect(res.status).toBe(503);
      expect(res.json.code).toBe('UPSTREAM_THROTTLED');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(h.emu.callsOf('sts', 'AssumeRole')).toHaveLength(5);
    });

    it('503 UPSTREAM_UNAVAILABLE with Retry-After when ECR keeps failing', async () => {
      h.emu.inject({ service: 'ecr', kind: 'server-error', times: Infinity });
      const res = await h.post('/registry-auth', customerBody());
      expect(res.status).toBe(503);
      expect(res.json.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(res.headers.get('retry-after')).toBeTruthy();
    });

    it('retries a connection reset', async () => {
      h.emu.inject({ service: 'ecr', kind: 'reset', times: 1 });
      expect((await h.post('/registry-auth', customerBody())).status).toBe(200);
    });
  });
});
