import { WORLD } from '../fixtures/aws-world';
import { REFUSED_HOSTS } from '../fixtures/registry-hosts';
import { customerBody, type Harness } from './harness';
import { registryAuthService } from './registry-auth-world';

/** POST /registry-auth refused, locally or by AWS, and retried, over HTTP against the emulator. */
describe('POST /registry-auth', () => {
  const service = registryAuthService();
  let h: Harness;
  beforeAll(() => (h = service.h));

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
