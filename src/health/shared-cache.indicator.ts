import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { SHARED_TIER, SharedTier } from '../shared-tier/shared-tier.port';

/**
 * `sharedCache`: always up, with the tier's state (`off`, `up`, `degraded`, `down`) as `state`. A Redis
 * outage degrades to the in-process cache and the replica keeps serving, so it must not fail
 * readiness: the orchestrator would pull every replica at once.
 */
@Injectable()
export class SharedCacheIndicator {
  constructor(
    @Inject(SHARED_TIER) private readonly shared: SharedTier,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(): HealthIndicatorResult<'sharedCache'> {
    return this.indicators.check('sharedCache').up({ state: this.shared.state() });
  }
}
