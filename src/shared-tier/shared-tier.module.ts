import { Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config';
import { createSharedTier } from './shared-tier.factory';
import { SHARED_TIER, SharedTier } from './shared-tier.port';

/** Longest the start waits for the shared cache; it goes on without it (and reconnects). */
const STARTUP_WAIT_MS = 1000;

/**
 * The shared tier (Redis, or none), one per application. Lets it connect before the replica
 * takes traffic (bounded: a Redis outage delays nothing but an unanswered connect, up to a
 * second) and closes its connections at shutdown, after the HTTP server stopped taking requests.
 */
@Module({
  providers: [{ provide: SHARED_TIER, inject: [APP_CONFIG], useFactory: createSharedTier }],
  exports: [SHARED_TIER],
})
export class SharedTierModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(SHARED_TIER) private readonly tier: SharedTier) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.tier.whenReady(STARTUP_WAIT_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.tier.close();
  }
}
