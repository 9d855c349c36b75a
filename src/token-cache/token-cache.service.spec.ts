import type { RegistryLogin } from '../mint/mint.types';
import { EcrAuthError } from '../errors/ecr-auth.error';
import type { ErrorCode } from '../errors/error-codes';
import { deferred } from '../../test/fixtures/deferred';
import {
  cacheWorld as world,
  HOUR,
  identity,
  REGISTRY,
  ROLE,
  stopCaches,
  T0,
} from '../../test/fixtures/token-cache-world';

afterEach(stopCaches);

describe.each([
  ['refresh-ahead on (the default)', true],
  ['refresh-ahead off', false],
])('TokenCache, %s', (_mode, on) => {
  const cacheWorld = () => world({ refreshAhead: on });

  it('mints on a miss, then answers from memory until the refresh time', async () => {
    const w = cacheWorld();
    const first = await w.cache.get(identity(), w.mint());
    expect(first).toMatchObject({ outcome: 'miss', login: { password: 'token-1', registry: REGISTRY } });
    w.at(HOUR - 300_000 - 1);
    const second = await w.cache.get(identity(), w.unexpected);
    expect(second).toMatchObject({ outcome: 'hit', login: { password: 'token-1' } });
    expect(second.login.expiresAt.getTime()).toBe(T0 + HOUR);
    expect(w.outcomes).toEqual(['miss', 'hit']);
  });

  it('mints again at the refresh time: in the background (on), or on the request (off)', async () => {
    const w = cacheWorld();
    await w.cache.get(identity(), w.mint());
    w.at(HOUR - 300_000);
    const answer = await w.cache.get(identity(), w.mint());
    if (!on) return void expect(answer).toMatchObject({ outcome: 'refreshed', login: { password: 'token-2' } });
    expect(answer).toMatchObject({ outcome: 'hit', login: { password: 'token-1' } });
    expect(await w.refreshed()).toEqual(['refreshed']);
    expect(await w.cache.get(identity(), w.unexpected)).toMatchObject({
      outcome: 'hit',
      login: { password: 'token-2' },
    });
  });

  it('keeps identities apart', async () => {
    const w = cacheWorld();
    await w.cache.get(identity(), w.mint());
    const other = await w.cache.get(identity('arn:aws:iam::222222222222:role/other'), w.mint());
    expect(other).toMatchObject({ outcome: 'miss', login: { password: 'token-2' } });
  });

  it('shares one mint among concurrent misses, and its failure', async () => {
    const w = cacheWorld();
    const gate = deferred<RegistryLogin>();
    let calls = 0;
    const slow = () => (calls++, gate.promise);
    const [a, b] = [w.cache.get(identity(), slow), w.cache.get(identity(), slow)];
    gate.resolve({ registry: REGISTRY, username: 'AWS', password: 'shared', expiresAt: new Date(T0 + HOUR) });
    expect((await Promise.all([a, b])).map((r) => [r.outcome, r.login.password])).toEqual([
      ['miss', 'shared'],
      ['coalesced', 'shared'],
    ]);
    expect(calls).toBe(1);

    const failed = deferred<RegistryLogin>();
    const other = identity('arn:aws:iam::222222222222:role/other');
    const [c, d] = [w.cache.get(other, () => failed.promise), w.cache.get(other, w.unexpected)];
    failed.reject(new EcrAuthError('UPSTREAM_UNAVAILABLE', 'down'));
    await expect(c).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await expect(d).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it.each([
    ['at the minimum', 60_000],
    ['under it', 30_000],
    ['already expired', -30_000],
  ])('never serves nor caches a fresh token %s: UPSTREAM_TOKEN_TOO_SHORT', async (_why, life) => {
    const w = cacheWorld();
    await expect(w.cache.get(identity(), w.mint(life))).rejects.toMatchObject({
      code: 'UPSTREAM_TOKEN_TOO_SHORT',
      status: 502,
      message: expect.stringContaining(`${Math.round(life / 1000)} s left`),
    });
    expect((await w.cache.get(identity(), w.mint())).outcome).toBe('miss');
    expect(w.minted()).toBe(2);
  });

  describe('stale-if-error, decided by the catalogue', () => {
    it.each<[ErrorCode, boolean]>([
      ['UPSTREAM_UNAVAILABLE', true],
      ['UPSTREAM_THROTTLED', true],
      ['UPSTREAM_TIMEOUT', true],
      ['JUMP_ROLE_FAILED', true],
      ['SERVICE_CREDENTIALS_INVALID', true],
      ['INTERNAL', true],
      ['ASSUME_ROLE_DENIED', false],
      ['ECR_ACCESS_DENIED', false],
      ['INVALID_REGISTRY_KEY', false],
    ])('a refresh failing with %s serves the cached token: %s', async (code, serves) => {
      const w = cacheWorld();
      await w.cache.get(identity(), w.flaky);
      w.at(HOUR - 200_000); // past the refresh time, well above the minimum
      w.failFrom(code);
      const answer = w.cache.get(identity(), w.flaky);
      if (on) {
        // Answered from the cache while the background refresh fails; then served, or dropped.
        await expect(answer).resolves.toMatchObject({ outcome: 'hit', login: { password: 'token-1' } });
        expect(await w.refreshed()).toEqual(['failed']);
        const next = w.cache.get(identity(), serves ? w.unexpected : w.failing(code));
        if (serves) await expect(next).resolves.toMatchObject({ outcome: 'hit', login: { password: 'token-1' } });
        else await expect(next).rejects.toMatchObject({ code });
      } else if (serves) {
        await expect(answer).resolves.toMatchObject({ outcome: 'stale', login: { password: 'token-1' } });
      } else await expect(answer).rejects.toMatchObject({ code });
    });

    it('never serves a token with the minimum lifetime or less left', async () => {
      const w = cacheWorld();
      await w.cache.get(identity(), w.mint());
      w.at(HOUR - 60_000);
      await expect(w.cache.get(identity(), w.failing('UPSTREAM_UNAVAILABLE'))).rejects.toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
      });
    });

    it('turns a foreign failure into INTERNAL', async () => {
      const w = cacheWorld();
      await expect(w.cache.get(identity(), () => Promise.reject(new Error('bug')))).rejects.toMatchObject({
        code: 'INTERNAL',
      });
    });
  });

  describe('refusals', () => {
    it('remembers a refusal for the denied window, then asks again', async () => {
      const w = cacheWorld();
      await expect(w.cache.get(identity(), w.failing('ASSUME_ROLE_DENIED'))).rejects.toMatchObject({
        code: 'ASSUME_ROLE_DENIED',
      });
      w.at(9_999);
      await expect(w.cache.get(identity(), w.unexpected)).rejects.toMatchObject({
        code: 'ASSUME_ROLE_DENIED',
        message: expect.stringMatching(/remembered for a few seconds/),
      });
      expect(w.outcomes).toEqual(['denied']);
      w.at(10_000);
      expect((await w.cache.get(identity(), w.mint())).outcome).toBe('miss');
    });

    it('drops the cached token of an identity AWS now refuses', async () => {
      const w = cacheWorld();
      await w.cache.get(identity(), w.flaky);
      w.at(HOUR - 200_000);
      w.failFrom('ASSUME_ROLE_DENIED');
      const answer = w.cache.get(identity(), w.flaky);
      if (on) {
        await expect(answer).resolves.toMatchObject({ outcome: 'hit' });
        expect(await w.refreshed()).toEqual(['failed']);
      } else await expect(answer).rejects.toBeDefined();
      w.at(HOUR - 200_000 + 10_000);
      expect((await w.cache.get(identity(), w.mint())).outcome).toBe('miss');
    });

    it('does not remember transient failures', async () => {
      const w = cacheWorld();
      await expect(w.cache.get(identity(), w.failing('UPSTREAM_THROTTLED'))).rejects.toBeDefined();
      expect((await w.cache.get(identity(), w.mint())).outcome).toBe('miss');
    });
  });

  describe('eviction', () => {
    it('evicts tokens and refusals by role and by registry, counting what was there', async () => {
      const w = cacheWorld();
      const other = identity('arn:aws:iam::222222222222:role/other');
      await w.cache.get(identity(), w.mint());
      await w.cache.get(other, w.mint());
      await expect(
        w.cache.get(identity('arn:aws:iam::222222222222:role/refused'), w.failing('ASSUME_ROLE_DENIED')),
      ).rejects.toBeDefined();

      expect(await w.cache.evict(`role:${ROLE}`)).toBe(1);
      expect((await w.cache.get(identity(), w.mint())).outcome).toBe('miss');
      expect((await w.cache.get(other, w.unexpected)).outcome).toBe('hit');
      // Both tokens and the refusal answered for the registry.
      expect(await w.cache.evict(`registry:${REGISTRY}`)).toBe(3);
      expect(await w.cache.evict(`registry:${REGISTRY}`)).toBe(0);
    });

    it('does not count an entry the in-process cache no longer holds', async () => {
      const w = cacheWorld();
      await w.cache.get(identity(), w.mint());
      await w.memory.del(w.keys.token(identity())); // as the store's own LRU would
      expect(await w.cache.evict(`role:${ROLE}`)).toBe(0);
    });

    it('an entry past its store TTL is not counted', async () => {
      const w = cacheWorld();
      await w.cache.get(identity(), w.mint());
      w.at(HOUR - 60_000 + 1); // past the store TTL (expiry less the minimum lifetime)
      expect(await w.cache.evict(`role:${ROLE}`)).toBe(0);
    });
  });
});
