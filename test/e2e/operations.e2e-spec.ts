import { WORLD } from '../fixtures/aws-world';
import { customerBody, Harness } from './harness';
import { perTestServices } from './per-test-services';
import { until } from '../fixtures/wait';

const PROBES = JSON.stringify([
  {
    name: 'main-customer',
    roleArn: WORLD.customer.arn,
    externalId: WORLD.customer.externalId,
    registry: WORLD.customer.registry,
  },
]);

async function settledRoles(h: Harness) {
  let res = await h.get('/health/roles');
  await until(async () => (res = await h.get('/health/roles')).json.status !== 'pending');
  return res;
}

describe('operations', () => {
  const { world, start } = perTestServices();

  describe('GET /health/roles', () => {
    it('is ok with a good jump role and probe; queries read kept results, refresh is rate-limited', async () => {
      const h = await start({ ECR_AUTH_HEALTH_PROBES: PROBES });
      const res = await settledRoles(h);
      expect(res.status).toBe(200);
      expect(res.json.status).toBe('ok');
      expect(res.json.roles).toEqual([
        expect.objectContaining({
          name: 'jump-role',
          roleArn: WORLD.jump.arn,
          ok: true,
          checkedAt: expect.any(String),
          expiresAt: expect.any(String),
        }),
        expect.objectContaining({ name: 'main-customer', roleArn: WORLD.customer.arn, ok: true }),
      ]);
      world.emu.clearCalls();
      for (let i = 0; i < 5; i++) await h.get('/health/roles?refresh=true');
      expect(world.emu.callsOf('sts', 'AssumeRole').length).toBeLessThanOrEqual(2); // at most one round: jump + probe
      expect(res.text).not.toContain(WORLD.customer.externalId);
    });

    it('with a wrong jump external ID the service still starts, says degraded naming the jump role, and mints get 502', async () => {
      const h = await start({ ECR_AUTH_JUMP_EXTERNAL_ID: 'wrong-jump-id-0000' });
      expect((await h.get('/health/live', { token: null })).status).toBe(200);
      const res = await settledRoles(h);
      expect(res.status).toBe(503);
      expect(res.json.status).toBe('degraded');
      expect(res.json.roles[0]).toMatchObject({
        name: 'jump-role',
        roleArn: WORLD.jump.arn,
        ok: false,
        error: { code: 'JUMP_ROLE_FAILED' },
      });
      const mint = await h.post('/registry-auth', customerBody());
      expect(mint.status).toBe(502);
      expect(mint.json.code).toBe('JUMP_ROLE_FAILED');
    });

    it('is unconfigured without jump role or probes', async () => {
      const h = await start({ ECR_AUTH_JUMP_ROLE_ARN: undefined, ECR_AUTH_JUMP_EXTERNAL_ID: undefined });
      const res = await h.get('/health/roles');
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ status: 'unconfigured', roles: [] });
    });
  });

  describe('GET /metrics', () => {
    it('needs the API token', async () => {
      const h = await start({});
      expect((await h.get('/metrics', { token: null })).status).toBe(401);
    });

    it('counts requests, cache outcomes and STS calls', async () => {
      const h = await start({});
      await h.post('/registry-auth', customerBody());
      await h.post('/registry-auth', customerBody());
      const res = await h.get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      expect(res.text).toMatch(/ecr_auth_requests_total\{method="POST",route="\/registry-auth",code="OK"\} 2/);
      expect(res.text).toMatch(/ecr_auth_cache_events_total\{outcome="miss"\} 1/);
      expect(res.text).toMatch(/ecr_auth_cache_events_total\{outcome="hit"\} 1/);
      expect(res.text).toMatch(/ecr_auth_upstream_calls_total\{service="sts",operation="AssumeRole",outcome="OK"\} 2/);
      expect(res.text).toMatch(/ecr_auth_process_resident_memory_bytes/);
      // No label of unbounded cardinality.
      expect(res.text).not.toContain('222222222222');
      expect(res.text).not.toContain('arn:aws');
    });
  });

  describe('logs', () => {
    it("are JSON lines, one per request; a mint's line is its audit line, naming role and registry, and no secret", async () => {
      const h = await start({});
      await h.post('/registry-auth', customerBody());
      await h.post('/registry-auth', customerBody({ externalId: 'wrong-external-id' }));
      const lines = h.logs.join('').trim().split('\n');
      const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const audits = parsed.filter((l) => l.audit === 'registry-auth');
      expect(audits).toEqual([
        expect.objectContaining({
          roleArn: WORLD.customer.arn,
          registry: WORLD.customer.registry,
          code: 'OK',
          cache: 'miss',
          sessionName: expect.any(String),
          caller: expect.any(String),
          status: 200,
        }),
        expect.objectContaining({ roleArn: WORLD.customer.arn, code: 'ASSUME_ROLE_DENIED', status: 403 }),
      ]);
      const requests = parsed.filter((l) => l.msg === 'request');
      expect(requests[0]).toMatchObject({
        method: 'POST',
        route: '/registry-auth',
        status: 200,
        code: 'OK',
        cache: 'miss',
        requestId: expect.any(String),
        durationMs: expect.any(Number),
      });
      expect(h.logs.join('')).not.toContain('wrong-external-id');
    });
  });
});
