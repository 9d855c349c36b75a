import { CacheModule } from '@nestjs/cache-manager';
import { createKeyv } from '@cacheable/memory';
import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SharedTierModule } from '../shared-tier/shared-tier.module';
import { CacheKeys } from './cache-key';
import { TokenCache } from './token-cache.service';

/**
 * The token cache: an LRU in process (cache-manager over @cacheable/memory, one record per
 * key) in front of the shared tier (SharedTierModule, re-exported). One store bucket, no clone:
 * the bucket hashing and structuredClone were measurable on every cache hit, records are read
 * and flagged in place, and entries are immutable.
 */
@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        stores: [createKeyv({ lruSize: config.cacheMaxEntries, useClone: false, storeHashSize: 1 })],
      }),
    }),
    SharedTierModule,
  ],
  providers: [
    {
      provide: CacheKeys,
      inject: [APP_CONFIG],
      // Replicas sharing Redis must derive the same keys: from the shared encryption key.
      useFactory: (config: AppConfig) => new CacheKeys(config.redis ? config.cacheEncryptionKeys[0] : undefined),
    },
    TokenCache,
  ],
  exports: [TokenCache, CacheKeys, SharedTierModule],
})
export class TokenCacheModule {}
