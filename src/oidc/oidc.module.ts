import { Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { OidcVerifier } from './oidc.service';

/** Starts the key-set loads once the app is up (without waiting for them) and stops them at shutdown. */
@Injectable()
export class OidcLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(OidcVerifier) private readonly verifier: OidcVerifier) {}

  onApplicationBootstrap(): void {
    void this.verifier.start();
  }

  onApplicationShutdown(): void {
    this.verifier.close();
  }
}

/** Workload-identity callers: the JWT verifier the bearer check asks when a bearer is a JWT. */
@Module({
  providers: [
    {
      provide: OidcVerifier,
      useFactory: (config: AppConfig, clock: Clock) => new OidcVerifier(config.oidcProviders, clock),
      inject: [APP_CONFIG, CLOCK],
    },
    OidcLifecycle,
  ],
  exports: [OidcVerifier],
})
export class OidcModule {}
