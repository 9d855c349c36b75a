import { Module } from '@nestjs/common';
import { TokenCacheModule } from '../token-cache/token-cache.module';
import { RoleChainService } from './role-chain.service';

/**
 * The role chain, one instance per application (it holds the shared jump session): every
 * module that assumes roles imports this module rather than providing the service itself.
 */
@Module({
  // Held customer sessions are keyed like the token cache (CacheKeys).
  imports: [TokenCacheModule],
  providers: [RoleChainService],
  exports: [RoleChainService],
})
export class RoleChainModule {}
