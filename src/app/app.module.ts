import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { RegistryAuthController } from '../api/registry-auth.controller';
import { RegistryCredentialsService } from '../credentials/registry-credentials.service';
import { TokenMinter } from '../credentials/token-minter.service';
import { HttpErrorFilter } from '../errors/http-error.filter';
import { HealthController } from '../health/health.controller';
import { Readiness } from '../health/readiness';
import { loggerOptions } from '../logging/logger.options';
import { RoleChainService } from '../sts/role-chain.service';
import { TokenCacheModule } from '../token-cache/token-cache.module';
import type { AppOptions } from './app-options';
import { CoreModule } from './core.module';

export type { AppOptions } from './app-options';

/** Wiring only: every behaviour lives in the capability folders. */
@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(options), LoggerModule.forRoot({ pinoHttp: loggerOptions(options.config, options.logStream) }), TokenCacheModule],
      controllers: [RegistryAuthController, HealthController],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }, Readiness, RoleChainService, TokenMinter, RegistryCredentialsService],
    };
  }
}
