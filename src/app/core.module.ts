import { DynamicModule, Module } from '@nestjs/common';
import { AWS_APIS } from '../aws/aws.ports';
import { AwsClientFactory } from '../aws/aws-client.factory';
import { Upstream } from '../aws/upstream';
import { UpstreamGate } from '../aws/upstream-gate';
import { CLOCK, systemClock } from '../clock/clock';
import { APP_CONFIG } from '../config/app-config';
import type { AppOptions } from './app-options';
import { AwsLifecycle } from './aws.lifecycle';

const EXPORTED = [APP_CONFIG, CLOCK, AWS_APIS, Upstream];

/** What every capability module may inject: the configuration, the clock, AWS access (and the one way to call it). */
@Module({})
export class CoreModule {
  static forRoot(options: AppOptions): DynamicModule {
    const { config } = options;
    return {
      module: CoreModule,
      global: true,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        {
          provide: AWS_APIS,
          useFactory: () =>
            new AwsClientFactory({ stsRegion: config.region, upstreamTimeoutMs: config.upstreamTimeoutMs }),
        },
        // One per replica: ECR_AUTH_UPSTREAM_CONCURRENCY bounds every STS and ECR call of the process.
        { provide: Upstream, useFactory: () => new Upstream(config, new UpstreamGate(config.upstreamConcurrency)) },
        AwsLifecycle,
      ],
      exports: EXPORTED,
    };
  }
}
