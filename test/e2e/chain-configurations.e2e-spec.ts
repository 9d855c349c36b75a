import { AwsEmulator } from '../emulator/aws-emulator';
import { seedWorld, WORLD } from '../fixtures/aws-world';
import { customerBody, expectNoSecrets, Harness, issuedSecrets, startHarness } from './harness';

/** Deployments other than the default two-hop one, and faults of the service's own side. */
describe('chain configurations', () => {
  let emu: AwsEmulator;
  let awsNow = Date.now();
  const harnesses: Harness[] = [];
  const start = async (options: Parameters<typeof startHarness>[0]) => {
    const h = await startHarness({ emulator: emu, ...options });
    harnesses.push(h);
    return h;
  };

  beforeAll(async () => {
    emu = await AwsEmulator.start({ clock: () => awsNow });
    seedWorld(emu);
  });
  afterEach(async () => {
    while (harnesses.length) await harnesses.pop()!.close();
    emu.clearFaults();
    emu.clearCalls();
    awsNow = Date.now();
  });
  afterAll(async () => {
    await emu.close();
  });

  it('two hops: the jump role as the service, the customer role as the jump session, ECR signed for the registry region', async () => {
    const h = await start({});
    expect(
      (await h.post('/registry-auth', customerBody({ registry: '222222222222.dkr.ecr.eu-central-1.amazonaws.com' })))
        .status,
    ).toBe(200);
    const [jump, customer] = emu.callsOf('sts', 'AssumeRole');
    const [ecr] = emu.callsOf('ecr', 'GetAuthorizationToken');
    expect(jump).toMatchObject({
      accessKeyId: WORLD.service.accessKeyId,
      region: WORLD.region,
      status: 200,
      params: { RoleArn: WORLD.jump.arn, ExternalId: WORLD.jump.externalId },
    });
    expect(customer).toMatchObject({
      region: WORLD.region,
      status: 200,
      params: { RoleArn: WORLD.customer.arn, ExternalId: WORLD.customer.externalId },
    });
    expect(customer.callerArn).toContain(':assumed-role/ecr-auth-jump/');
    expect(Number(customer.params.DurationSeconds)).toBeLessThanOrEqual(3600);
    expect(customer.params.RoleSessionName).toMatch(/^[\w+=,.@-]{2,64}$/);
    expect(customer.params.RoleSessionName).toContain('222222222222');
    expect(ecr).toMatchObject({ region: 'eu-central-1', status: 200 });
    expect(ecr.callerArn).toContain(':assumed-role/ecr-pull/');
  });

  it('one hop: without a jump role the service assumes the customer role itself', async () => {
    const h = await start({ env: { ECR_AUTH_JUMP_ROLE_ARN: undefined, ECR_AUTH_JUMP_EXTERNAL_ID: undefined } });
    const res = await h.post('/registry-auth', {
      registry: WORLD.directCustomer.registry,
      roleArn: WORLD.directCustomer.arn,
      externalId: WORLD.directCustomer.externalId,
    });
    expect(res.status).toBe(200);
    const assumes = emu.callsOf('sts', 'AssumeRole');
    expect(assumes).toHaveLength(1);
    expect(assumes[0]).toMatchObject({
      accessKeyId: WORLD.service.accessKeyId,
      params: { RoleArn: WORLD.directCustomer.arn },
    });
    expectNoSecrets(h.logs, issuedSecrets(emu));
    expectNoSecrets(h.bodies.filter((b) => !b.includes('"username"')));
  });

  it("JUMP_ROLE_FAILED (502) when the jump external ID is wrong, saying it is the operator's configuration", async () => {
    const h = await start({ env: { ECR_AUTH_JUMP_EXTERNAL_ID: 'wrong-jump-external-id' } });
    const res = await h.post('/registry-auth', customerBody());
    expect(res.status).toBe(502);
    expect(res.json.code).toBe('JUMP_ROLE_FAILED');
    expect(res.json.message).toContain(WORLD.jump.arn);
    expect(res.json.message).toMatch(/operator/);
    expect(res.text).not.toContain('wrong-jump-external-id');
    expect(emu.callsOf('sts', 'AssumeRole')).toHaveLength(1);
  });

  it('JUMP_ROLE_FAILED when the jump hop fails STS validation', async () => {
    const h = await start({});
    emu.inject({
      service: 'sts',
      action: 'AssumeRole',
      kind: 'error',
      status: 400,
      code: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    });
    const res = await h.post('/registry-auth', customerBody());
    expect(res.status).toBe(502);
    expect(res.json.code).toBe('JUMP_ROLE_FAILED');
  });

  it('SERVICE_CREDENTIALS_INVALID (502) when the service identity is unknown to AWS', async () => {
    const h = await start({
      identity: { accessKeyId: 'AKIANOTKNOWN00000001', secretAccessKey: 'whateverSecret000000000000000000000000001' },
    });
    const res = await h.post('/registry-auth', customerBody());
    expect(res.status).toBe(502);
    expect(res.json.code).toBe('SERVICE_CREDENTIALS_INVALID');
    expect(res.text).not.toContain('whateverSecret');
  });

  it('SERVICE_CREDENTIALS_INVALID when the default chain finds no identity at all', async () => {
    const h = await start({ identity: null });
    const res = await h.post('/registry-auth', customerBody());
    expect(res.status).toBe(502);
    expect(res.json.code).toBe('SERVICE_CREDENTIALS_INVALID');
    expect(emu.calls).toHaveLength(0);
  });

  it('504 UPSTREAM_TIMEOUT when STS stays silent past the request deadline', async () => {
    const h = await start({ env: { ECR_AUTH_UPSTREAM_TIMEOUT_MS: '200', ECR_AUTH_REQUEST_DEADLINE_MS: '700' } });
    emu.inject({ service: 'sts', kind: 'silence', times: Infinity });
    // STS never answers: an answer at all is the service's own cut, and the deadline's.
    const res = await h.post('/registry-auth', customerBody());
    expect(res.status).toBe(504);
    expect(res.json.code).toBe('UPSTREAM_TIMEOUT');
    expect(res.json.message).toMatch(/request deadline/);
    expect(emu.calls.length).toBeGreaterThanOrEqual(1);
    expect(emu.calls.every((c) => c.service === 'sts' && c.fault === 'silence' && c.status === 0)).toBe(true);
  });

  it('refreshes jump credentials once when they prove expired mid-chain, and goes on', async () => {
    const h = await start({});
    expect((await h.post('/registry-auth', customerBody())).status).toBe(200);
    // AWS's clock moves past the held jump session's expiry; the service still holds it.
    awsNow += 2 * 3600_000;
    await h.delete('/registry-auth/cache', { roleArn: WORLD.customer.arn });
    emu.clearCalls();
    const res = await h.post('/registry-auth', customerBody());
    expect(res.status).toBe(200);
    const roles = emu.callsOf('sts', 'AssumeRole').map((c) => [c.params.RoleArn, c.status]);
    expect(roles).toEqual([
      [WORLD.customer.arn, 400],
      [WORLD.jump.arn, 200],
      [WORLD.customer.arn, 200],
    ]);
  });
});
