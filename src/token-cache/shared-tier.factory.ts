import type { AppConfig } from '../config/app-config';
import { MintLock, NO_MINT_LOCK, RedisMintLock } from './mint-lock';
import { RedisTier } from './redis-tier';
import { NO_SHARED_TIER, SharedTier } from '../shared-tier/shared-tier.port';

/**
 * The shared tier the configuration asks for: Redis with ECR_AUTH_REDIS_URL (values sealed with
 * ECR_AUTH_CACHE_ENCRYPTION_KEY, which the configuration requires with it), none otherwise.
 * Connects in the background: never fails or delays the start when Redis is down.
 */
export function createSharedTier(config: AppConfig): SharedTier {
  if (!config.redisUrl) return NO_SHARED_TIER;
  return new RedisTier({ url: config.redisUrl, encryptionKeys: config.cacheEncryptionKeys });
}

/** Bound of one lock command: past it the replica mints without the lock. */
const LOCK_TIMEOUT_MS = 200;

/**
 * The fleet-wide mint lock, on the Redis tier: a lease of a third of the request deadline,
 * renewed by its holder while it mints, so a holder that dies frees the key in time for
 * another replica to mint within its own deadline. Without Redis, no lock.
 */
export function createMintLock(tier: SharedTier, config: AppConfig): MintLock {
  if (!(tier instanceof RedisTier)) return NO_MINT_LOCK;
  return new RedisMintLock(tier, {
    leaseMs: Math.max(100, Math.floor(config.requestDeadlineMs / 3)),
    timeoutMs: LOCK_TIMEOUT_MS,
  });
}
