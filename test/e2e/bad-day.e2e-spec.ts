import { WORLD } from '../fixtures/aws-world';
import { customerBody, expectNoSecrets, issuedSecrets, startHarness } from './harness';
import { perTestServices } from './per-test-services';

/** A bad day at AWS and at the callers: each defect the service once had, proven fixed. */
const region = (r: string) => `${WORLD.customer.account}.dkr.ecr.${r}.amazonaws.com`;
const customerAssumes = (calls: ReadonlyArray<{ service: string; action: string; params: Record<string, string> }>) =>
  calls.filter((c) => c.service === 'sts' && c.action === 'AssumeRole' && c.params.RoleArn === WORLD.customer.arn);

describe('sessions AWS ends early', () => {
  const { world, start } = perTestServices();

  it('a held customer session ECR rejects as expired: dropped, assumed again, the mint for a new region works', async () => {
    const h = await start();
    expect((await h.post('/registry-auth', customerBody({ registry: region('eu-west-1') }))).status).toBe(200);
    expect(world.emu.endSessions(WORLD.customer.arn)).toBeGreaterThan(0);
    world.emu.clearCalls();
    const res = await h.post('/registry-auth', customerBody({ registry: region('eu-west-2') }));
    expect(res.status).toBe(200);
    expect(customerAssumes(world.emu.calls)).toHaveLength(1);
  });

  it('a held customer session ECR no longer knows: the same', async () => {
    const h = await start();
    expect((await h.post('/registry-auth', customerBody({ registry: region('eu-west-1') }))).status).toBe(200);
    world.emu.forgetSessions(WORLD.customer.arn);
    expect((await h.post('/registry-auth', customerBody({ registry: region('eu-central-1') }))).status).toBe(200);
  });

  it.each([
    ['forgets', (arn: string) => world.emu.forgetSessions(arn)],
    ['ends', (arn: string) => world.emu.endSessions(arn)],
  ])('STS %s the jump session: the next cold mint assumes the jump role again and works', async (_why, end) => {
    const h = await start();
    expect((await h.post('/registry-auth', customerBody())).status).toBe(200);
    end(WORLD.jump.arn);
    world.emu.clearCalls();
    const res = await h.post('/registry-auth', customerBody({ access: 'push' }));
    expect(res.status).toBe(200);
    expect(
      world.emu.calls.filter((c) => c.action === 'AssumeRole' && c.params.RoleArn === WORLD.jump.arn),
    ).toHaveLength(1);
  });

  it('a second rejection fails with the hop’s own code, never 500', async () => {
    const h = await start();
    expect((await h.post('/registry-auth', customerBody())).status).toBe(200);
    world.emu.forgetSessions(WORLD.jump.arn);
    world.emu.inject({
      service: 'sts',
      kind: 'error',
      status: 403,
      code: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
      times: 2,
    });
    const res = await h.post('/registry-auth', customerBody({ access: 'push' }));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.json.code).not.toBe('INTERNAL');
    world.emu.clearFaults();
  });
});

describe('never under the minimum lifetime', () => {
  it.each([30, 5, -30])(
    'ECR hands out a %i s token with a 60 s minimum: 502 UPSTREAM_TOKEN_TOO_SHORT, no password',
    async (life) => {
      const h = await startHarness({ emulatorOptions: { ecrTokenLifetimeSeconds: life } });
      try {
        const res = await h.post('/registry-auth', customerBody());
        expect([res.status, res.json.code]).toEqual([502, 'UPSTREAM_TOKEN_TOO_SHORT']);
        expect(res.json.password).toBeUndefined();
        expect(res.json.message).toContain(`${life} s left`);
        expectNoSecrets(h.logs, issuedSecrets(h.emu));
      } finally {
        await h.close();
      }
    },
  );

  it('35 s into a 90 s token with a 60 s minimum and no buffer: a fresh token (>= 60 s left), never the old one', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const clock = () => now;
    const h = await startHarness({
      clock,
      emulatorOptions: { ecrTokenLifetimeSeconds: 90, clock },
      env: { ECR_AUTH_REFRESH_BUFFER_SECONDS: '0', ECR_AUTH_MIN_TTL_SECONDS: '60' },
    });
    try {
      const first = await h.post('/registry-auth', customerBody());
      expect(first.status).toBe(200);
      now += 35_000;
      const second = await h.post('/registry-auth', customerBody());
      expect(second.status).toBe(200);
      expect(second.json.password).not.toBe(first.json.password);
      expect(Date.parse(second.json.expiresAt) - now).toBeGreaterThanOrEqual(60_000);
    } finally {
      await h.close();
    }
  });
});

describe('eviction reaches what answers', () => {
  const { world, start } = perTestServices();

  it('DELETE by a registry host evicts a token minted for another host of the region that answered for it', async () => {
    const h = await start();
    const minted = `${WORLD.customer.account}.dkr.ecr.eu-west-1.amazonaws.com`;
    const answered = '333333333333.dkr.ecr.eu-west-1.amazonaws.com';
    const a = await h.post('/registry-auth', customerBody({ registry: minted }));
    const b = await h.post('/registry-auth', customerBody({ registry: answered }));
    expect(b.json.password).toBe(a.json.password); // one regional token answers both
    const evicted = await h.delete('/registry-auth/cache', { registry: answered });
    expect(evicted.json.evicted).toBe(1);
    world.emu.clearCalls();
    const again = await h.post('/registry-auth', customerBody({ registry: answered }));
    expect(again.status).toBe(200);
    expect(world.emu.callsOf('ecr', 'GetAuthorizationToken')).toHaveLength(1);
  });
});

describe('guesses are not STS calls', () => {
  const { world, start } = perTestServices();

  it('50 external-ID guesses at one role: at most 10 STS calls, then a local refusal that says so', async () => {
    const h = await start({ ECR_AUTH_DENIED_CACHE_SECONDS: '60' });
    const answers = [];
    for (let i = 0; i < 50; i++) {
      answers.push(await h.post('/registry-auth', customerBody({ externalId: `guess-${i}-0000` })));
    }
    expect(answers.every((r) => r.status === 403 && r.json.code === 'ASSUME_ROLE_DENIED')).toBe(true);
    expect(customerAssumes(world.emu.calls).length).toBeLessThanOrEqual(10);
    expect(answers[49].json.message).toMatch(/refused locally/);
    expect((await h.get('/metrics')).text).toMatch(/ecr_auth_local_refusals_total\{reason="refusal_budget"\} \d+/);
    // The right external ID still mints once the role is evicted (a fixed trust policy, say).
    await h.delete('/registry-auth/cache', { roleArn: WORLD.customer.arn });
    expect((await h.post('/registry-auth', customerBody())).status).toBe(200);
  });
});
