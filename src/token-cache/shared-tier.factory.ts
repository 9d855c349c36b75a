import type { AppConfig } from '../config/app-config';
import { RedisTier } from './redis-tier';
import { NO_SHARED_TIER, SharedTier } from './shared-tier';

/**
 * The shared tier the configuration asks for: Redis with ECR_AUTH_REDIS_URL (values sealed with
 * ECR_AUTH_CACHE_ENCRYPTION_KEY, which the configuration requires with it), none otherwise.
 * Connects in the background: never fails or delays the start when Redis is down.
 */
export function createSharedTier(config: AppConfig): SharedTier {
  if (!config.redisUrl) return NO_SHARED_TIER;
  return new RedisTier({ url: config.redisUrl, encryptionKeys: config.cacheEncryptionKeys });
}
