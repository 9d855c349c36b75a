import { AwsEmulator } from '../emulator/aws-emulator';
import { seedWorld, WORLD } from '../fixtures/aws-world';
import { until } from '../fixtures/wait';
import { customerBody, expectNoSecrets, Harness, issuedSecrets, startHarness } from './harness';

/** The token cache over HTTP: one STS chain per key per credential lifetime. */
describe('token cache', () => {
  let emu: AwsEmulator;
  let h: Harness;
  let now = Date.now();
  const customerAssumes = () => emu.callsOf('sts', 'AssumeRole').filter((c) => c.params.RoleArn === WORLD.customer.arn);

  beforeAll(async () => {
    emu = await AwsEmulator.start();
    seedWorld(emu);
    h = await startHarness({ emulator: emu, clock: () => now, env: { ECR_AUTH_DENIED_CACHE_SECONDS: '10' } });
  });
  beforeEach(async () => {
    now = Date.now();
    for (const roleArn of [WORLD.customer.arn]) await h.delete('/registry-auth/cache', { roleArn });
    emu.clearFaults();
    emu.clearCalls();
  });
  afterAll(async () => {
    expectNoSecrets(h.logs, issuedSecrets(emu));
    await h.close();
    await emu.close();
  });

  it('200 concurrent cold requests for one key make one customer AssumeRole and one ECR call, and get the same token', async () => {
    const replies = await Promise.all(Array.from({ length: 200 }, () => h.post('/registry-auth', customerBody())));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(new Set(replies.map((r) => r.json.password)).size).toBe(1);
    expect(customerAssumes()).toHaveLength(1);
    expect(emu.callsOf('ecr')).toHaveLength(1);

    emu.clearCalls();
    const again = await Promise.all(Array.from({ length: 100 }, () => h.post('/registry-auth', customerBody())));
    expect(again.every((r) => r.status === 200 && r.json.password === replies[0].json.password)).toBe(true);
    expect(emu.calls).toHaveLength(0);
  });

  it('never serves a token to a caller with another external ID: it goes to STS and is refused', async () => {
    expect((await h.post('/registry-auth', customerBody())).status).toBe(200);
    emu.clearCalls();
    const res = await h.post('/registry-auth', customerBody({ externalId: 'another-external-id' }));
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('ASSUME_ROLE_DENIED');
    expect(customerAssumes()).toHaveLength(1);
  });

  it('remembers a refusal for the identity, and DELETE clears it', async () => {
    const wrong = customerBody({ externalId: 'wrong-external-id-1' });
    expect((await h.post('/registry-auth', wrong)).json.code).toBe('ASSUME_ROLE_DENIED');
    expect((await h.post('/registry-auth', wrong)).json.code).toBe('ASSUME_ROLE_DENIED');
    expect(customerAssumes()).toHaveLength(1);
    now += 11_000; // past ECR_AUTH_DENIED_CACHE_SECONDS
    expect((await h.post('/registry-auth', wrong)).json.code).toBe('ASSUME_ROLE_DENIED');
    expect(customerAssumes()).toHaveLength(2);
    const evicted = await h.delete('/registry-auth/cache', { roleArn: WORLD.customer.arn });
    expect(evicted.status).toBe(200);
    expect(evicted.json.evicted).toBeGreaterThanOrEqual(1);
    await h.post('/registry-auth', wrong);
    expect(customerAssumes()).toHaveLength(3);
  });

  it('reuses customer credentials for a second region: only an ECR call', async () => {
    await h.post('/registry-auth', customerBody());
    emu.clearCalls();
    const res = await h.post(
      '/registry-auth',
      customerBody({ registry: '222222222222.dkr.ecr.ap-southeast-2.amazonaws.com' }),
    );
    expect(res.status).toBe(200);
    expect(emu.callsOf('sts')).toHaveLength(0);
    expect(emu.callsOf('ecr')).toEqual([expect.objectContaining({ region: 'ap-southeast-2' })]);
  });

  it('refreshes before expiry, serves a still-valid token when the refresh fails upstream, never one past the minimum', async () => {
    const first = await h.post('/registry-auth', customerBody());
    const expiresAt = Date.parse(first.json.expiresAt);
    emu.inject({ service: 'sts', kind: 'server-error', times: Infinity });
    emu.inject({ service: 'ecr', kind: 'server-error', times: Infinity });

    now = expiresAt - 200_000; // inside the 300 s refresh buffer, well above the 60 s minimum
    const stale = await h.post('/registry-auth', customerBody());
    expect(stale.status).toBe(200);
    expect(stale.json.password).toBe(first.json.password);
    expect(emu.calls.length).toBeGreaterThan(0); // it did try to refresh

    now = expiresAt - 30_000; // less than the minimum left: unusable
    const refused = await h.post('/registry-auth', customerBody());
    expect(refused.status).toBe(503);
    expect(refused.json.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('does not serve stale on a refusal: once the refresh meets a revoked trust, requests fail', async () => {
    const first = await h.post('/registry-auth', customerBody());
    now = Date.parse(first.json.expiresAt) - 200_000;
    emu.addRole({ arn: WORLD.customer.arn, trust: [] }); // the customer revokes trust
    try {
      // Answered from the cache while the background refresh runs; then the refusal stands.
      let last = await h.post('/registry-auth', customerBody());
      expect(last.status).toBe(200);
      await until(async () => (last = await h.post('/registry-auth', customerBody())).status !== 200);
      expect(last.status).toBe(403);
      expect(last.json.code).toBe('ASSUME_ROLE_DENIED');
    } finally {
      seedWorld(emu);
    }
  });

  it('a fresh token is minted in the background at refresh time; the request that found it due is not held', async () => {
    const first = await h.post('/registry-auth', customerBody());
    now = Date.parse(first.json.expiresAt) - 200_000;
    emu.clearCalls();
    const due = await h.post('/registry-auth', customerBody());
    expect(due.status).toBe(200);
    expect(due.json.password).toBe(first.json.password);
    let last = due;
    await until(
      async () => (last = await h.post('/registry-auth', customerBody())).json.password !== first.json.password,
    );
    expect(last.status).toBe(200);
    expect(customerAssumes()).toHaveLength(1);
    expect(emu.callsOf('ecr')).toHaveLength(1);
  });

  it('evicts by registry', async () => {
    await h.post('/registry-auth', customerBody());
    const res = await h.delete('/registry-auth/cache', { registry: `https://${WORLD.customer.registry}/v2/` });
    expect(res.json).toEqual({ evicted: 1 });
    emu.clearCalls();
    await h.post('/registry-auth', customerBody());
    expect(emu.callsOf('ecr')).toHaveLength(1);
  });

  it('DELETE refuses a body without roleArn or registry', async () => {
    const res = await h.delete('/registry-auth/cache', { nothing: true });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('INVALID_REQUEST');
  });
});

describe('token cache bound', () => {
  it('keeps at most ECR_AUTH_CACHE_MAX_ENTRIES tokens in process', async () => {
    const h = await startHarness({ env: { ECR_AUTH_CACHE_MAX_ENTRIES: '2' } });
    try {
      const regions = ['eu-west-1', 'eu-west-2', 'eu-west-3'];
      for (const r of regions)
        await h.post('/registry-auth', customerBody({ registry: `222222222222.dkr.ecr.${r}.amazonaws.com` }));
      h.emu.clearCalls();
      await h.post('/registry-auth', customerBody({ registry: '222222222222.dkr.ecr.eu-west-1.amazonaws.com' }));
      expect(h.emu.callsOf('ecr')).toHaveLength(1); // the oldest was dropped
      h.emu.clearCalls();
      await h.post('/registry-auth', customerBody({ registry: '222222222222.dkr.ecr.eu-west-3.amazonaws.com' }));
      expect(h.emu.callsOf('ecr')).toHaveLength(0);
    } finally {
      await h.close();
    }
  });
});
