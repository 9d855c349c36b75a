import { Readiness } from '../../src/health/readiness';
import { Harness, startHarness } from './harness';

describe('health probes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('GET /health/live answers ok without a token', async () => {
    const res = await h.get('/health/live', { token: null });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
  });

  it('GET /health/ready answers ok without a token and reports the shared cache', async () => {
    const res = await h.get('/health/ready', { token: null });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'ok', sharedCache: 'off' });
    // Terminus's details, one per indicator: the shared cache never fails readiness.
    expect(res.json.details).toEqual({
      readiness: { status: 'up', state: 'ready' },
      sharedCache: { status: 'up', state: 'off' },
    });
  });

  it('other routes still need the token', async () => {
    expect((await h.get('/health/roles', { token: null })).status).toBe(401);
  });

  // Last: the replica stays draining.
  it('while draining, ready answers 503 in JSON with the status and live stays 200', async () => {
    h.app.get(Readiness).beforeApplicationShutdown();
    const res = await h.get('/health/ready', { token: null });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    // Terminus's own status: `error` for a failed check (`shutting_down` once its shutdown hook ran).
    expect(res.json).toMatchObject({
      status: 'error',
      sharedCache: 'off',
      error: { readiness: { status: 'down', state: 'draining' } },
    });
    expect(h.logs.filter((l) => /Health Check has failed/.test(l))).toEqual([]);

    const live = await h.get('/health/live', { token: null });
    expect(live.status).toBe(200);
    expect(live.json).toEqual({ status: 'ok' });
  });
});

describe('the Fastify spelling of POST /registry-auth', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('answers like the node:http hot path: 401 with the challenge, then a login', async () => {
    const refused = await h.post('/registry-auth?via=fastify', {}, { token: null });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    const body = {
      registry: '222222222222.dkr.ecr.eu-west-1.amazonaws.com',
      roleArn: 'arn:aws:iam::222222222222:role/ecr-pull',
      externalId: 'customer-ext-id-91c2',
    };
    const ok = await h.post('/registry-auth?via=fastify', body);
    expect(ok.status).toBe(200);
    expect(ok.json.username).toBe('AWS');
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(h.logs.join('')).toContain('"audit":"registry-auth"');
  });
});
