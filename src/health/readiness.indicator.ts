import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Readiness } from './readiness';

/** `readiness`: down while the replica starts or drains at shutdown, with the state as `state`. */
@Injectable()
export class ReadinessIndicator {
  constructor(
    private readonly readiness: Readiness,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(): HealthIndicatorResult<'readiness'> {
    const state = this.readiness.current;
    const indicator = this.indicators.check('readiness');
    return state === 'ready' ? indicator.up({ state }) : indicator.down({ state });
  }
}
