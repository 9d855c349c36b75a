import { Controller, Get, Global, Module, Res, UseGuards } from '@nestjs/common';
import { OperatorGuard } from '../auth/operator.guard';
import type { FastifyReply } from 'fastify';
import { Upstream } from '../aws/upstream';
import { CLOCK, Clock } from '../clock/clock';
import { FLEET_OBSERVER, FleetObserver } from '../shared-tier/fleet-observer';
import { SharedTierModule } from '../shared-tier/shared-tier.module';
import { SHARED_TIER, SharedTier } from '../shared-tier/shared-tier.port';
import { CACHE_OBSERVER, CacheObserver } from '../token-cache/token-cache.service';
import { Metrics } from './metrics';

@Controller('metrics')
@UseGuards(OperatorGuard)
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  /** Prometheus text format; for operators only (an API token bound to no accounts, or an operator JWT). */
  @Get()
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.type(this.metrics.contentType);
    return this.metrics.text();
  }
}

/** Marks that the upstream calls and their gate report to the metrics (the provider's factory wires it). */
class UpstreamMetrics {}

function watchUpstream(m: Metrics, upstream: Upstream): UpstreamMetrics {
  upstream.observe((e) => {
    m.upstreamCalls.inc({ service: e.service, operation: e.operation, outcome: e.outcome });
    if (e.willRetry) m.upstreamRetries.inc({ service: e.service, operation: e.operation });
  });
  m.watchUpstreamGate(upstream.gate);
  return new UpstreamMetrics();
}

/** Marks that the shared tier's state reports to the metrics. */
class SharedCacheMetrics {}

function watchSharedCache(m: Metrics, tier: SharedTier): SharedCacheMetrics {
  m.watchSharedCache(() => tier.state());
  return new SharedCacheMetrics();
}

/** Metrics and the observers that feed them from the AWS layer and the token cache. */
@Global()
@Module({
  imports: [SharedTierModule],
  controllers: [MetricsController],
  providers: [
    Metrics,
    {
      provide: CACHE_OBSERVER,
      inject: [Metrics, CLOCK],
      useFactory:
        (m: Metrics, clock: Clock): CacheObserver =>
        (outcome, login) => {
          m.cacheEvents.inc({ outcome });
          if (outcome === 'budget') m.localRefusals.inc({ reason: 'refusal_budget' });
          if (login) m.servedTokenRemaining.observe(Math.max(0, (login.expiresAt.getTime() - clock()) / 1000));
        },
    },
    {
      provide: FLEET_OBSERVER,
      inject: [Metrics],
      useFactory: (m: Metrics): FleetObserver => ({
        lock: (outcome, ms) => {
          m.mintLock.inc({ outcome });
          m.mintLockWait.observe({ outcome }, ms / 1000);
        },
        refresh: (outcome) => m.refreshAhead.inc({ outcome }),
      }),
    },
    { provide: UpstreamMetrics, inject: [Metrics, Upstream], useFactory: watchUpstream },
    { provide: SharedCacheMetrics, inject: [Metrics, SHARED_TIER], useFactory: watchSharedCache },
  ],
  exports: [Metrics, CACHE_OBSERVER, FLEET_OBSERVER],
})
export class MetricsModule {}
