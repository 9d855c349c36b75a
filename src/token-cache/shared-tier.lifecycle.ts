import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SHARED_TIER, SharedTier } from '../shared-tier/shared-tier.port';

/** Longest the start waits for the shared cache; it goes on without it (and reconnects). */
const STARTUP_WAIT_MS = 1000;

/**
 * Lets the shared tier connect before the replica takes traffic (bounded: a Redis outage
 * delays nothing but an unanswered connect, up to a second) and closes its connections at
 * shutdown, after the HTTP server stopped taking requests.
 */
@Injectable()
export class SharedTierLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(SHARED_TIER) private readonly tier: SharedTier) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.tier.whenReady?.(STARTUP_WAIT_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.tier.close();
  }
}
