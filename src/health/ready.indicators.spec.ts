import { ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { NO_SHARED_TIER, SHARED_TIER, SharedTierState } from '../shared-tier/shared-tier.port';
import { Readiness } from './readiness';
import { ReadyIndicators } from './ready.indicators';

/** Terminus itself runs the indicators, as in the service. */
async function readinessCheck(state: SharedTierState) {
  const module = await Test.createTestingModule({
    imports: [TerminusModule.forRoot({ logger: false })],
    providers: [
      Readiness,
      ReadyIndicators,
      { provide: SHARED_TIER, useValue: { ...NO_SHARED_TIER, state: () => state } },
    ],
  }).compile();
  const indicators = module.get(ReadyIndicators);
  const health = module.get(HealthCheckService);
  return {
    readiness: module.get(Readiness),
    check: () => health.check([() => indicators.readiness(), () => indicators.sharedCache()]),
  };
}

describe('ReadyIndicators through terminus', () => {
  it.each<SharedTierState>(['off', 'up', 'degraded', 'down'])(
    'a ready replica with the shared tier %s is ok and reports that state',
    async (state) => {
      const { readiness, check } = await readinessCheck(state);
      readiness.onApplicationBootstrap();
      await expect(check()).resolves.toEqual({
        status: 'ok',
        info: { readiness: { status: 'up', state: 'ready' }, sharedCache: { status: 'up', state } },
        error: {},
        details: { readiness: { status: 'up', state: 'ready' }, sharedCache: { status: 'up', state } },
      });
    },
  );

  it.each<[string, (r: Readiness) => void]>([
    ['starting', () => undefined],
    ['draining', (r) => r.drain()],
  ])('a replica %s fails the check: terminus throws its 503 with the state', async (state, move) => {
    const { readiness, check } = await readinessCheck('up');
    move(readiness);
    const failed = await check().catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ServiceUnavailableException);
    expect((failed as ServiceUnavailableException).getResponse()).toMatchObject({
      status: 'error',
      error: { readiness: { status: 'down', state } },
      info: { sharedCache: { status: 'up', state: 'up' } },
    });
  });
});
