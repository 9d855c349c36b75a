import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { SHARED_TIER, SharedTier } from '../shared-tier/shared-tier.port';
import { Readiness } from './readiness';

/** The indicators of `GET /health/ready`: a `down` result fails the check, and terminus answers 503. */
@Injectable()
export class ReadyIndicators {
  constructor(
    private readonly readinessState: Readiness,
    @Inject(SHARED_TIER) private readonly shared: SharedTier,
    private readonly indicators: HealthIndicatorService,
  ) {}

  /** `readiness`: down while the replica starts or drains at shutdown; its state as `state`. */
  readiness(): HealthIndicatorResult<'readiness'> {
    const state = this.readinessState.current;
    const indicator = this.indicators.check('readiness');
    return state === 'ready' ? indicator.up({ state }) : indicator.down({ state });
  }

  /**
   * `sharedCache`: the tier's own state (`off`, `up`, `degraded`, `down`) as `state`, and never
   * down: a Redis outage degrades to the in-process cache and the replica keeps serving, so it
   * must not fail readiness (the orchestrator would pull every replica at once).
   */
  sharedCache(): HealthIndicatorResult<'sharedCache'> {
    return this.indicators.check('sharedCache').up({ state: this.shared.state() });
  }
}
