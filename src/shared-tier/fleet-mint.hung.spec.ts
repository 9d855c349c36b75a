import { itWith, REDIS_SERVER } from '../../test/fixtures/outside-tools';
import { LOGIN, privateRedis, redisTiers } from '../../test/fixtures/redis-tiers';
import { until } from '../../test/fixtures/wait';
import { FleetMint, Minted } from './fleet-mint';
import type { LockOutcome } from './fleet-observer';
import type { RedisTier } from './redis-tier';

const withPrivateRedis = itWith(REDIS_SERVER);
/** Far past any test's timeout: a step that finished under it did not wait for it. */
const NEVER = 600_000;

/** A hung Redis (SIGSTOP) and a cold mint: the answer waits for neither the write nor the lock. */
describe('FleetMint with a hung Redis', () => {
  const { tier, key } = redisTiers();

  /** A write whose settling the test can see. */
  function watched(write: Promise<void>): { stored: Promise<void>; settled: () => boolean } {
    let done = false;
    const stored = write.finally(() => (done = true));
    return { stored, settled: () => done };
  }

  withPrivateRedis(
    'the read times out once; the lock is not asked; the answer does not wait for the write',
    async () => {
      const redis = await privateRedis();
      redis.start();
      try {
        // Only the read has a short bound: a lock command or a write that held the answer would hang the test.
        const a: RedisTier = tier({ url: redis.url, getTimeoutMs: 50, lockTimeoutMs: NEVER, setTimeoutMs: NEVER });
        await until(() => a.whenReady(NEVER));
        const outcomes: LockOutcome[] = [];
        const fleet = new FleetMint(a, { lock: (o) => void outcomes.push(o), refresh: () => undefined });
        const k = key();
        redis.freeze(true);
        expect(await a.get(k)).toBeUndefined(); // the request's read: its short bound, once
        expect(a.state()).toBe('degraded');
        let write: ReturnType<typeof watched> | undefined;
        const answer = await fleet.run(
          k,
          () => true,
          NEVER,
          () => {
            write = watched(a.set(k, LOGIN, 60_000, ['registry:hung']));
            return Promise.resolve<Minted>({ entry: LOGIN, stored: write.stored });
          },
        );
        expect(answer).toEqual(LOGIN);
        expect(outcomes).toEqual(['unavailable']);
        expect(write!.settled()).toBe(false); // answered while the write still waits on Redis
        redis.freeze(false);
        await write!.stored;
        await until(async () => (await a.get(k)) !== undefined);
        expect(a.state()).toBe('up');
      } finally {
        redis.freeze(false);
        redis.kill();
      }
    },
  );

  withPrivateRedis('a lock holder answers before its write settles, and releases the lock after it', async () => {
    const redis = await privateRedis();
    redis.start();
    try {
      const a: RedisTier = tier({ url: redis.url, lockTimeoutMs: NEVER, setTimeoutMs: NEVER, lockLeaseMs: NEVER });
      const b: RedisTier = tier({ url: redis.url, lockTimeoutMs: NEVER });
      await until(async () => (await a.whenReady(NEVER)) && b.whenReady(NEVER));
      const outcomes: LockOutcome[] = [];
      const fleet = new FleetMint(a, { lock: (o) => void outcomes.push(o), refresh: () => undefined });
      const k = key();
      let write: ReturnType<typeof watched> | undefined;
      const answer = await fleet.run(
        k,
        () => true,
        NEVER,
        () => {
          redis.freeze(true); // Redis hangs while the mint runs
          write = watched(a.set(k, LOGIN, 60_000, []));
          return Promise.resolve<Minted>({ entry: LOGIN, stored: write.stored });
        },
      );
      expect(answer).toEqual(LOGIN);
      expect(outcomes).toEqual(['acquired']);
      expect(write!.settled()).toBe(false);
      redis.freeze(false);
      await write!.stored;
      // Another replica that polls the lock finds the value, then the lock gone.
      await until(async () => {
        const peek = await b.peek(k);
        return peek !== 'unavailable' && peek.held === false && peek.value !== undefined;
      });
    } finally {
      redis.freeze(false);
      redis.kill();
    }
  });
});
