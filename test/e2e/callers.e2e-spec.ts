import { WORLD } from '../fixtures/aws-world';
import { FakeIssuer } from '../fixtures/oidc-issuer';
import { customerBody, expectNoSecrets, Harness, startHarness } from './harness';

/** Who may call what: tenants and operators, API tokens and workload-identity JWTs. */
const BOUND = 'bound-token-aaaaaaaaaaaaaaaa';
const OTHER_ACCOUNT_ROLE = 'arn:aws:iam::333333333333:role/ecr-pull';

describe('tenants and operators (API tokens)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { ECR_AUTH_API_TOKENS: `${WORLD.apiToken},${BOUND}=${WORLD.customer.account}` },
    });
  });
  afterAll(async () => {
    expectNoSecrets(h.logs, [BOUND]);
    await h.close();
  });

  it.each(['/metrics', '/health/roles'])('%s: 403 OPERATOR_ONLY for a token bound to accounts', async (path) => {
    const res = await h.get(path, { token: BOUND });
    expect([res.status, res.json.code]).toEqual([403, 'OPERATOR_ONLY']);
    expect((await h.get(path)).status).not.toBe(403);
  });

  it('a bound token evicts its own account: its role and its registry', async () => {
    const role = await h.delete('/registry-auth/cache', { roleArn: WORLD.customer.arn }, { token: BOUND });
    expect(role.status).toBe(200);
    const registry = await h.delete('/registry-auth/cache', { registry: WORLD.customer.registry }, { token: BOUND });
    expect(registry.status).toBe(200);
  });

  it.each([
    ['a role of another account', { roleArn: OTHER_ACCOUNT_ROLE }],
    ['a registry of another account', { registry: '333333333333.dkr.ecr.eu-west-1.amazonaws.com' }],
    ['ECR Public, which names no account', { registry: 'public.ecr.aws' }],
    ['a role ARN that is not one', { roleArn: 'not-an-arn' }],
  ])('a bound token may not evict %s: 403 OPERATOR_ONLY', async (_why, body) => {
    const res = await h.delete('/registry-auth/cache', body, { token: BOUND });
    expect([res.status, res.json.code]).toEqual([403, 'OPERATOR_ONLY']);
    expect((await h.delete('/registry-auth/cache', body)).status).toBe(200);
  });
});

describe('workload-identity callers (OIDC JWTs)', () => {
  let h: Harness;
  let issuer: FakeIssuer;
  const sign = (claims: Record<string, unknown> = {}, key = issuer.keys[0]) => issuer.sign(Date.now(), claims, { key });

  beforeAll(async () => {
    issuer = await FakeIssuer.start('https://token.ci.example');
    await issuer.addKey('ES256');
    await issuer.addKey('RS256');
    const providers = [
      {
        issuer: issuer.issuer,
        audience: 'ecr-auth',
        jwksUri: issuer.jwksUri,
        rules: [
          { claims: { sub: 'repo:acme/*', ref: 'refs/heads/main' }, accounts: [WORLD.customer.account] },
          { claims: { sub: 'repo:acme/platform-ops:*' }, operator: true },
        ],
      },
    ];
    h = await startHarness({ env: { ECR_AUTH_OIDC_PROVIDERS: JSON.stringify(providers) } });
  });
  afterAll(async () => {
    await h.close();
    await issuer.stop();
  });

  it.each([0, 1])(
    'a JWT signed with key %i (ES256, RS256) of the issuer mints for the accounts its rule reaches',
    async (k) => {
      const jwt = await sign({ sub: 'repo:acme/app:ref:refs/heads/main', ref: 'refs/heads/main' }, issuer.keys[k]);
      const res = await h.post('/registry-auth', customerBody(), { token: jwt });
      expect(res.status).toBe(200);
      expect(res.json.username).toBe('AWS');
      const line = h.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'request' && l.route === '/registry-auth');
      expect(line).toMatchObject({ caller: 'repo:acme/app:ref:refs/heads/main', issuer: issuer.issuer });
      expectNoSecrets(h.logs, [jwt, jwt.split('.')[2]]);
    },
  );

  it('aud as a list that contains the audience works', async () => {
    const jwt = await sign({
      aud: ['other', 'ecr-auth'],
      sub: 'repo:acme/app:ref:refs/heads/main',
      ref: 'refs/heads/main',
    });
    expect((await h.post('/registry-auth', customerBody(), { token: jwt })).status).toBe(200);
  });

  it('claims that match no rule reach nothing: 403 ACCOUNT_NOT_ALLOWED, no STS call', async () => {
    h.emu.clearCalls();
    const jwt = await sign({ sub: 'repo:acme/app:ref:refs/heads/feature', ref: 'refs/heads/feature' });
    const res = await h.post('/registry-auth', customerBody(), { token: jwt });
    expect([res.status, res.json.code]).toEqual([403, 'ACCOUNT_NOT_ALLOWED']);
    expect(h.emu.callsOf('sts', 'AssumeRole').filter((c) => c.params.RoleArn === WORLD.customer.arn)).toEqual([]);
  });

  it("a rule's accounts bound what it reaches", async () => {
    const jwt = await sign({ sub: 'repo:acme/app:ref:refs/heads/main', ref: 'refs/heads/main' });
    const res = await h.post('/registry-auth', customerBody({ roleArn: OTHER_ACCOUNT_ROLE }), { token: jwt });
    expect([res.status, res.json.code]).toEqual([403, 'ACCOUNT_NOT_ALLOWED']);
  });

  it.each([
    ['expired', { exp: Math.floor(Date.now() / 1000) - 120 }],
    ['another audience', { aud: 'someone-else' }],
    ['another issuer', { iss: 'https://evil.example' }],
  ])('refused with 401: %s', async (_why, claims) => {
    const jwt = await sign({ sub: 'repo:acme/app:ref:refs/heads/main', ref: 'refs/heads/main', ...claims });
    const res = await h.post('/registry-auth', customerBody(), { token: jwt });
    expect([res.status, res.json.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(res.text).not.toContain(jwt);
  });

  it('operator routes: 403 OPERATOR_ONLY for a tenant JWT, 200 for an operator one', async () => {
    const tenant = await sign({ sub: 'repo:acme/app:ref:refs/heads/main', ref: 'refs/heads/main' });
    const operator = await sign({ sub: 'repo:acme/platform-ops:ref:refs/heads/main' });
    const refused = await h.get('/metrics', { token: tenant });
    expect([refused.status, refused.json.code]).toEqual([403, 'OPERATOR_ONLY']);
    expect((await h.get('/metrics', { token: operator })).status).toBe(200);
  });
});

describe('onboarding checks are bounded per caller', () => {
  it('30 verify calls in a row: 10 are checked (ECR_AUTH_VERIFY_PER_MINUTE), the rest 429 with no STS call', async () => {
    const h = await startHarness({ env: { ECR_AUTH_VERIFY_PER_MINUTE: undefined } });
    try {
      const body = {
        registry: WORLD.customer.registry,
        roleArn: WORLD.customer.arn,
        externalId: WORLD.customer.externalId,
      };
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await h.post('/registry-auth/verify', body)).status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      expect(statuses.slice(10)).toEqual(Array(20).fill(429));
      const customerCalls = h.emu.callsOf('sts', 'AssumeRole').filter((c) => c.params.RoleArn === WORLD.customer.arn);
      expect(customerCalls.length).toBeLessThanOrEqual(20);
      const refused = await h.post('/registry-auth/verify', body);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await h.get('/metrics')).text).toMatch(/ecr_auth_local_refusals_total\{reason="verify_rate"\} 21/);
    } finally {
      await h.close();
    }
  });
});
