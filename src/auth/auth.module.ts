import { Module } from '@nestjs/common';
import { OidcModule } from '../oidc/oidc.module';
import { CLOCK, Clock } from '../clock/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { Admission } from './admission';
import { ApiTokensReloader } from './api-tokens.reloader';
import { BearerAuth } from './bearer-auth';

/** Who may call: the API tokens (re-read on SIGHUP), OIDC issuers' JWTs, the rate limit, and the admission that applies them. */
@Module({
  imports: [OidcModule],
  providers: [
    { provide: BearerAuth, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new BearerAuth(config.apiTokens) },
    {
      provide: RateLimiter,
      inject: [APP_CONFIG, CLOCK],
      useFactory: (config: AppConfig, clock: Clock) => new RateLimiter(config.rateLimitPerMinute, clock),
    },
    Admission,
    ApiTokensReloader,
  ],
  exports: [Admission, BearerAuth, ApiTokensReloader],
})
export class AuthModule {}
