import type { AppConfig } from '../config/app-config';
import { RedisTier } from './redis-tier';
import { NO_SHARED_TIER, SharedTier } from './shared-tier.port';

/**
 * The shared tier the configuration asks for: Redis with ECR_AUTH_REDIS_* (any mode) (values sealed with
 * ECR_AUTH_CACHE_ENCRYPTION_KEY, which the configuration requires with it), none otherwise.
 * Connects in the background: never fails or delays the start when Redis is down.
 *
 * Its mint lock's lease is a third of the request deadline, renewed by its holder while it
 * mints, so a holder that dies frees the key in time for another replica to mint within its
 * own deadline.
 */
export function createSharedTier(config: AppConfig): SharedTier {
  if (!config.redis) return NO_SHARED_TIER;
  return new RedisTier({
    settings: config.redis,
    encryptionKeys: config.cacheEncryptionKeys,
    lockLeaseMs: Math.max(100, Math.floor(config.requestDeadlineMs / 3)),
  });
}
