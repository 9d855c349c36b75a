import { Module } from '@nestjs/common';
import { RoleChainModule } from '../sts/role-chain.module';
import { TokenCacheModule } from '../token-cache/token-cache.module';
import { RegistryCredentialsService } from './registry-credentials.service';
import { TokenMinter } from './token-minter.service';

/**
 * The orchestrator of a mint and the minter, one instance each per application: the
 * registry-auth routes and the role health checks import this module rather than providing them.
 */
@Module({
  imports: [TokenCacheModule, RoleChainModule],
  providers: [TokenMinter, RegistryCredentialsService],
  exports: [TokenMinter, RegistryCredentialsService],
})
export class CredentialsModule {}
