import { CacheModule } from '@nestjs/cache-manager';
import { createKeyv } from '@cacheable/memory';
import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CacheKeys } from './cache-key';
import { NO_SHARED_TIER, SHARED_TIER } from './shared-tier';
import { CACHE_OBSERVER, TokenCache } from './token-cache.service';

/** The token cache: an LRU in process (cache-manager) in front of an optional shared tier. */
@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ stores: [createKeyv({ lruSize: config.cacheMaxEntries, useClone: false })] }),
    }),
  ],
  providers: [
    {
      provide: CacheKeys,
      inject: [APP_CONFIG],
      // Replicas sharing Redis must derive the same keys: from the shared encryption key.
      useFactory: (config: AppConfig) => new CacheKeys(config.redisUrl ? config.cacheEncryptionKeys[0] : undefined),
    },
    { provide: SHARED_TIER, useValue: NO_SHARED_TIER },
    { provide: CACHE_OBSERVER, useValue: () => undefined },
    TokenCache,
  ],
  exports: [TokenCache, CacheKeys, SHARED_TIER],
})
export class TokenCacheModule {}
