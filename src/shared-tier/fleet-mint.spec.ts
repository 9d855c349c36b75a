import { deferred } from '../../test/fixtures/deferred';
import { LOGIN, redisTiers } from '../../test/fixtures/redis-tiers';
import type { CachedLogin } from './cached-login';
import { FleetMint } from './fleet-mint';
import type { LockOutcome } from './fleet-observer';
import type { RedisTier } from './redis-tier';

/** Far past any test's timeout: a replica that waited a whole lease would fail the test. */
const LEASE_MS = 600_000;
const BUDGET_MS = 600_000;

/** Two replicas sharing a real Redis, each with its FleetMint; the test settles the mints. */
describe('FleetMint', () => {
  const { tier, key } = redisTiers();

  async function replica() {
    const t: RedisTier = tier({ lockLeaseMs: LEASE_MS, lockTimeoutMs: 2000 });
    expect(await t.whenReady(5000)).toBe(true);
    const outcomes: LockOutcome[] = [];
    const fleet = new FleetMint(t, { lock: (o) => void outcomes.push(o), refresh: () => undefined });
    return { tier: t, fleet, outcomes };
  }

  /** A mint the test finishes: `started` resolves once it runs, then it stores what it is given. */
  function heldMint(t: RedisTier, k: string) {
    const started = deferred<void>();
    const result = deferred<CachedLogin>();
    const mint = async () => {
      started.resolve();
      const value = await result.promise;
      return { entry: value, stored: t.set(k, value, 60_000, []) };
    };
    return { mint, started: started.promise, finish: result.resolve, fail: result.reject };
  }

  const unexpected = () => Promise.reject(new Error('unexpected mint'));

  it('one replica mints; the other waits for it and answers its value', async () => {
    const [a, b] = [await replica(), await replica()];
    const k = key();
    const held = heldMint(a.tier, k);
    const first = a.fleet.run(k, () => true, BUDGET_MS, held.mint);
    await held.started;
    const second = b.fleet.run(k, () => true, BUDGET_MS, unexpected);
    held.finish(LOGIN);
    expect(await first).toEqual(LOGIN);
    expect(await second).toEqual(LOGIN);
    expect([a.outcomes, b.outcomes]).toEqual([['acquired'], ['shared']]);
  });

  it('a holder that releases without what the other wants lets it mint at once, not a lease later', async () => {
    const [a, b] = [await replica(), await replica()];
    const k = key();
    const held = heldMint(a.tier, k);
    const first = a.fleet.run(k, () => true, BUDGET_MS, held.mint);
    await held.started;
    const own = { ...LOGIN, password: 'minted-by-b' };
    const second = b.fleet.run(
      k,
      (e) => e.password === own.password,
      BUDGET_MS,
      () => Promise.resolve({ entry: own, stored: Promise.resolve() }),
    );
    held.finish(LOGIN);
    await first;
    expect(await second).toEqual(own);
    expect(b.outcomes).toEqual(['freed']);
  });

  it('a holder whose mint fails frees the key: the other mints', async () => {
    const [a, b] = [await replica(), await replica()];
    const k = key();
    const held = heldMint(a.tier, k);
    const first = a.fleet.run(k, () => true, BUDGET_MS, held.mint);
    await held.started;
    const own = { ...LOGIN, password: 'minted-by-b' };
    const second = b.fleet.run(
      k,
      () => true,
      BUDGET_MS,
      () => Promise.resolve({ entry: own, stored: Promise.resolve() }),
    );
    held.fail(new Error('upstream down'));
    await expect(first).rejects.toThrow('upstream down');
    expect(await second).toEqual(own);
    expect([a.outcomes, b.outcomes]).toEqual([['acquired'], ['freed']]);
  });
});
