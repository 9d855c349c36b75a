import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Harness, startHarness } from './harness';

const COMMITTED = join(__dirname, '..', '..', 'docs', 'openapi.json');

/** GET /openapi.json serves exactly the committed docs/openapi.json (regenerate: npm run openapi). */
describe('GET /openapi.json', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('is docs/openapi.json, byte for byte', async () => {
    const res = await h.get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.text).toBe(readFileSync(COMMITTED, 'utf8'));
    expect(res.json.openapi).toBe('3.1.0');
  });

  it('needs the API token', async () => {
    expect((await h.get('/openapi.json', { token: null })).status).toBe(401);
  });

  it('describes the routes the service answers', async () => {
    const { json } = await h.get('/openapi.json');
    const ext = 'onboarding-ext-5d1e';
    expect(json.paths['/onboarding/policies'].get).toBeDefined();
    expect((await h.get(`/onboarding/policies?externalId=${ext}`)).status).toBe(200);
    expect(json.paths['/registry-auth/verify'].post).toBeDefined();
    expect((await h.get('/health/live', { token: null })).status).toBe(200);
  });
});
