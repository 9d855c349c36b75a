import { AwsEmulator, type CallRecord } from '../emulator/aws-emulator';
import { seedWorld, WORLD } from '../fixtures/aws-world';
import { until } from '../fixtures/wait';
import { bodyOf, counted, fleetWorld } from './fleet-world';
import { expectNoSecrets, Harness, issuedSecrets, startHarness } from './harness';

/** Replicas sharing one Redis and one AWS behave as one service. */
const isCustomerAssume = (arn: string) => (c: CallRecord) => c.action === 'AssumeRole' && c.params.RoleArn === arn;
const accountOf = (c: CallRecord) => c.callerArn?.split(':')[4];

describe('a fleet: one mint per key', () => {
  const world = fleetWorld();
  let emu: AwsEmulator;
  const replicas: Harness[] = [];

  beforeAll(async () => {
    emu = await AwsEmulator.start();
    seedWorld(emu);
    for (let i = 0; i < 3; i++) replicas.push(await startHarness({ emulator: emu, env: world.env }));
  });
  afterAll(async () => {
    for (const h of replicas) {
      expectNoSecrets(h.logs, [...issuedSecrets(emu), ...world.customers.map((c) => c.externalId)]);
      await h.close();
    }
    await world.cleanup();
    await emu.close();
  });

  it('3 replicas, 360 concurrent cold requests over 12 keys: one customer AssumeRole and one ECR call per key, one token per key', async () => {
    const keys = world.addCustomers(emu, 12, 7);
    emu.clearCalls();
    const answers = await Promise.all(
      Array.from({ length: 360 }, async (_, i) => {
        const c = keys[i % keys.length];
        const res = await replicas[Math.floor(i / keys.length) % 3].post('/registry-auth', bodyOf(c));
        return { c, res };
      }),
    );
    expect(answers.filter((a) => a.res.status !== 200)).toEqual([]);
    for (const c of keys) {
      expect(emu.calls.filter(isCustomerAssume(c.arn))).toHaveLength(1);
      expect(emu.callsOf('ecr').filter((e) => accountOf(e) === c.account)).toHaveLength(1);
      expect(new Set(answers.filter((a) => a.c === c).map((a) => a.res.json.password)).size).toBe(1);
    }
    const shared = await Promise.all(replicas.map((h) => counted(h, 'mintLock', 'shared')));
    expect(shared.reduce((a, b) => a + b, 0)).toBeGreaterThan(0); // replicas did wait on one another
  });
});

describe('a fleet: refresh-ahead', () => {
  const world = fleetWorld();
  // A whole minute: AWS expiries are whole seconds.
  let now = Math.floor(Date.now() / 60_000) * 60_000;
  const clock = () => now;
  let emu: AwsEmulator;
  const replicas: Harness[] = [];

  beforeAll(async () => {
    // ECR tokens of 20 minutes (sessions last 60): a refresh every 15 minutes costs one ECR call.
    emu = await AwsEmulator.start({ clock, ecrTokenLifetimeSeconds: 1200 });
    seedWorld(emu);
    const env = { ...world.env, ECR_AUTH_REQUEST_DEADLINE_MS: '15000', ECR_AUTH_UPSTREAM_TIMEOUT_MS: '5000' };
    for (let i = 0; i < 3; i++) replicas.push(await startHarness({ emulator: emu, env, clock }));
  });
  afterAll(async () => {
    emu.clearFaults();
    for (const h of replicas) await h.close();
    await world.cleanup();
    await emu.close();
  });

  const refreshed = (outcome: 'refreshed' | 'skipped_idle') =>
    Promise.all(replicas.map((h) => counted(h, 'refreshAhead', outcome)));

  it('steady requests across two refresh times, every upstream call held 1.5 s: no request waits, one refresh per refresh time fleet-wide', async () => {
    const [c] = world.addCustomers(emu, 1, 6);
    const ecrCalls = () => emu.callsOf('ecr').filter((e) => accountOf(e) === c.account).length;
    // Warm: one replica mints, the others read its token from Redis.
    const first = await replicas[0].post('/registry-auth', bodyOf(c));
    for (const h of replicas.slice(1))
      expect((await h.post('/registry-auth', bodyOf(c))).json.password).toBe(first.json.password);
    expect(ecrCalls()).toBe(1);

    emu.inject({ kind: 'latency', delayMs: 1500, times: Infinity });
    const hits = () => Promise.all(replicas.map((h) => counted(h, 'cacheEvents', 'hit')));
    const hitsBefore = await hits();
    let requests = 0;
    const served = replicas.map(() => first.json as { password: string; expiresAt: string });
    let stop = false;
    const load = (async () => {
      while (!stop) {
        for (const [i, h] of replicas.entries()) {
          const res = await h.post('/registry-auth', bodyOf(c));
          requests++;
          expect(res.status).toBe(200);
          served[i] = res.json;
        }
      }
    })();

    let token = first.json as { password: string; expiresAt: string };
    for (let n = 1; n <= 2; n++) {
      // One second past the refresh time: 300 s before expiry (ECR_AUTH_REFRESH_BUFFER_SECONDS).
      now = Date.parse(token.expiresAt) - 299_000;
      await until(async () => served.every((s) => s.password !== token.password));
      expect(ecrCalls()).toBe(1 + n);
      expect(new Set(served.map((s) => s.password)).size).toBe(1);
      token = served[0];
      await until(async () => (await refreshed('refreshed')).every((r) => r === n));
    }
    stop = true;
    await load;
    // No request waited on a mint: every one was a cache hit (refresh-ahead minted behind them).
    const hitsAfter = await hits();
    expect(hitsAfter.reduce((a, n, i) => a + n - hitsBefore[i], 0)).toBe(requests);
    expect(requests).toBeGreaterThan(30);

    // Requests stopped: the entry, requested since its last mint, is refreshed once more…
    now = Date.parse(token.expiresAt) - 299_000;
    await until(async () => (await refreshed('refreshed')).every((r) => r === 3));
    expect(ecrCalls()).toBe(4);
    // …and then let go on every replica.
    const idle = await refreshed('skipped_idle');
    now += 15 * 60_000;
    await until(async () => (await refreshed('skipped_idle')).every((r, i) => r === idle[i] + 1));
    expect(ecrCalls()).toBe(4);
  });
});

describe('a fair upstream', () => {
  let emu: AwsEmulator;
  let h: Harness;
  const world = fleetWorld();

  beforeAll(async () => {
    emu = await AwsEmulator.start({ latencyMs: 20 });
    seedWorld(emu);
    h = await startHarness({ emulator: emu, env: { ECR_AUTH_UPSTREAM_CONCURRENCY: '2' } });
  });
  afterAll(async () => {
    await h.close();
    await emu.close();
  });

  it("ECR_AUTH_UPSTREAM_CONCURRENCY=2: another account's mint is served in turn during one account's burst of 30 keys", async () => {
    const burst = world.addCustomers(emu, 30, 5, true);
    const [other] = world.addCustomers(emu, 1, 4);
    emu.clearCalls();
    emu.maxInFlight = 0;
    const burstCustomerCall = emu.nextCall((c) => c.action === 'AssumeRole' && c.params.RoleArn !== WORLD.jump.arn);
    const answers = Promise.all(burst.map((c) => h.post('/registry-auth', bodyOf(c))));
    await burstCustomerCall; // the burst is queued

    const before = emu.calls.length;
    const res = await h.post('/registry-auth', bodyOf(other));
    expect(res.status).toBe(200);
    const calls = emu.calls;
    const otherEcr = calls.findIndex((c) => c.service === 'ecr' && accountOf(c) === other.account);
    // Its AssumeRole and its ECR call each waited one turn of the burst at most.
    expect(otherEcr - before).toBeLessThanOrEqual(6);
    expect(calls.length).toBeLessThan(30 * 2); // answered long before the burst ends

    expect((await answers).every((r) => r.status === 200)).toBe(true);
    expect(emu.maxInFlight).toBeLessThanOrEqual(2);
    expect(emu.maxInFlight).toBe(2);
  });
});
