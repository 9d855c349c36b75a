import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/**
 * Per-caller rate limit (ECR_AUTH_RATE_LIMIT_PER_MINUTE; 0 turns it off): callers are told
 * apart by their API token's fingerprint (by address when auth is off). Past the limit:
 * 429 RATE_LIMITED with Retry-After, set by the guard.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: Math.max(1, config.rateLimitPerMinute) }],
        skipIf: () => config.rateLimitPerMinute === 0,
        getTracker: (req: Record<string, unknown>) => {
          const request = req as unknown as FastifyRequest;
          return request.apiToken?.fingerprint ?? request.ip;
        },
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class RateLimitModule {}
