import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { RegistryAuthController } from '../api/registry-auth.controller';
import { AWS_APIS, AwsApis } from '../aws/aws.ports';
import { AwsClientFactory } from '../aws/aws-client.factory';
import { NO_OBSERVER, UPSTREAM_OBSERVER } from '../aws/upstream-observer';
import { CLOCK, Clock, systemClock } from '../clock/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RegistryCredentialsService } from '../credentials/registry-credentials.service';
import { TokenMinter } from '../credentials/token-minter.service';
import { HttpErrorFilter } from '../errors/http-error.filter';
import { loggerOptions } from '../logging/logger.options';
import { RoleChainService } from '../sts/role-chain.service';
import { AwsLifecycle } from './aws.lifecycle';

export interface AppOptions {
  readonly config: AppConfig;
  /** Time source for expiry decisions (tests move it). */
  readonly clock?: Clock;
  /** Where JSON log lines go (default stdout). */
  readonly logStream?: DestinationStream;
  /** AWS access; default: the SDK clients of AwsClientFactory. */
  readonly aws?: AwsApis;
}

/** Wiring only: every behaviour lives in the capability folders. */
@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    const { config } = options;
    return {
      module: AppModule,
      imports: [LoggerModule.forRoot({ pinoHttp: loggerOptions(config, options.logStream) })],
      controllers: [RegistryAuthController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        {
          provide: AWS_APIS,
          useFactory: () => options.aws ?? new AwsClientFactory({ stsRegion: config.region, upstreamTimeoutMs: config.upstreamTimeoutMs }),
        },
        { provide: UPSTREAM_OBSERVER, useValue: NO_OBSERVER },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        AwsLifecycle,
        RoleChainService,
        TokenMinter,
        RegistryCredentialsService,
      ],
    };
  }
}
