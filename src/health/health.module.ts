import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CredentialsModule } from '../credentials/credentials.module';
import { RoleChainModule } from '../sts/role-chain.module';
import { TokenCacheModule } from '../token-cache/token-cache.module';
import { HealthController } from './health.controller';
import { Readiness } from './readiness';
import { ReadyIndicators } from './ready.indicators';
import { RoleHealth } from './role-health.service';

/**
 * The probes (live, ready through terminus) and role health. Readiness is exported: the HTTP
 * hooks close connections while it drains.
 */
@Module({
  imports: [
    // No terminus logger: a draining replica fails every readiness check by design, and would
    // log each one as an error.
    TerminusModule.forRoot({ logger: false }),
    TokenCacheModule,
    RoleChainModule,
    CredentialsModule,
  ],
  controllers: [HealthController],
  providers: [Readiness, ReadyIndicators, RoleHealth],
  exports: [Readiness],
})
export class HealthModule {}
