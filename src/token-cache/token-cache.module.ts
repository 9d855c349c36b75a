import { CacheModule } from '@nestjs/cache-manager';
import { createKeyv } from '@cacheable/memory';
import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CacheKeys } from './cache-key';
import { SHARED_TIER } from '../shared-tier/shared-tier.port';
import { createMintLock, createSharedTier } from './shared-tier.factory';
import { MINT_LOCK } from './mint-lock';
import { SharedTierLifecycle } from './shared-tier.lifecycle';
import { TokenCache } from './token-cache.service';

/**
 * The token cache: an LRU in process (cache-manager over @cacheable/memory) in front of an
 * optional shared tier. One store bucket, no clone: the bucket hashing and structuredClone
 * were measurable on every cache hit, and entries are immutable.
 */
@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        stores: [createKeyv({ lruSize: config.cacheMaxEntries, useClone: false, storeHashSize: 1 })],
      }),
    }),
  ],
  providers: [
    {
      provide: CacheKeys,
      inject: [APP_CONFIG],
      // Replicas sharing Redis must derive the same keys: from the shared encryption key.
      useFactory: (config: AppConfig) => new CacheKeys(config.redisUrl ? config.cacheEncryptionKeys[0] : undefined),
    },
    { provide: SHARED_TIER, inject: [APP_CONFIG], useFactory: createSharedTier },
    { provide: MINT_LOCK, inject: [SHARED_TIER, APP_CONFIG], useFactory: createMintLock },
    SharedTierLifecycle,
    TokenCache,
  ],
  exports: [TokenCache, CacheKeys, SHARED_TIER],
})
export class TokenCacheModule {}
