import type { SharedTierState } from '../shared-tier/shared-tier.port';
import type { HealthCheckResult } from '@nestjs/terminus';
import type { ReadinessState } from './readiness';

/**
 * `GET /health/ready`'s body: terminus's result (`info`, `error`, `details`) with the contract's
 * fields on top. `status` stays `ok`, `starting` or `draining` as documented (terminus would say
 * `error` or `shutting_down`), and `sharedCache` is lifted from its indicator, where callers read it.
 */
export interface ReadyBody extends Omit<HealthCheckResult, 'status'> {
  readonly status: 'ok' | 'starting' | 'draining';
  readonly sharedCache: SharedTierState | undefined;
}

/** Pure. `state` decides the status of a failed check: terminus's own shutdown flag may be set first. */
export function readyBody(result: HealthCheckResult, state: ReadinessState): ReadyBody {
  const status = result.status === 'ok' ? 'ok' : state === 'starting' ? 'starting' : 'draining';
  return { ...result, status, sharedCache: result.details.sharedCache?.state as ReadyBody['sharedCache'] };
}
