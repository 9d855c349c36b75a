import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { RegistryAuthController } from '../api/registry-auth.controller';
import { AuthModule } from '../auth/auth.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { HttpErrorFilter } from '../errors/http-error.filter';
import { HealthModule } from '../health/health.module';
import type { Logger } from 'pino';
import { httpLoggerOptions } from '../logging/logger.options';
import { MetricsModule } from '../metrics/metrics.module';
import { OnboardingModule } from '../onboarding/onboarding.module';
import { OpenApiModule } from '../openapi/openapi.module';
import { RoleChainModule } from '../sts/role-chain.module';
import { TokenCacheModule } from '../token-cache/token-cache.module';
import type { AppOptions } from './app-options';
import { CoreModule } from './core.module';
import { InFlightRequests } from './in-flight';

export type { AppOptions } from './app-options';

/** Wiring only: every behaviour lives in the capability folders. */
@Module({})
export class AppModule {
  static forRoot(options: AppOptions, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(options),
        AuthModule,
        LoggerModule.forRoot({ pinoHttp: httpLoggerOptions(logger), forRoutes: [] }),
        MetricsModule,
        TokenCacheModule,
        RoleChainModule,
        CredentialsModule,
        HealthModule,
        OnboardingModule,
        OpenApiModule,
      ],
      controllers: [RegistryAuthController],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }, InFlightRequests],
    };
  }
}
