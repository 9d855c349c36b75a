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
    expect(res.json).toMatchObject({ status: 'ok', sharedCache: 'disabled' });
  });

  it('other routes still need the token', async () => {
    expect((await h.get('/health/roles', { token: null })).status).toBe(401);
  });
});
