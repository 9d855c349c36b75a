import type { HealthCheckResult } from '@nestjs/terminus';
import { readyBody } from './readiness.body';

const details = (readiness: 'up' | 'down', state: string) => ({
  readiness: { status: readiness, state },
  sharedCache: { status: 'up' as const, state: 'down' },
});

describe('readyBody', () => {
  it.each<[string, HealthCheckResult['status'], 'starting' | 'ready' | 'draining', string]>([
    ['ready', 'ok', 'ready', 'ok'],
    ['starting', 'error', 'starting', 'starting'],
    ['draining', 'error', 'draining', 'draining'],
    // terminus's executor turns shutting_down in its own shutdown hook, maybe before Readiness does.
    ['terminus shutting down first', 'shutting_down', 'ready', 'draining'],
    ['terminus shutting down while draining', 'shutting_down', 'draining', 'draining'],
  ])('%s (terminus %s, readiness %s): %s', (_why, terminusStatus, state, expected) => {
    const result: HealthCheckResult = {
      status: terminusStatus,
      info: {},
      error: {},
      details: details(state === 'ready' ? 'up' : 'down', state),
    };
    const body = readyBody(result, state);
    expect(body.status).toBe(expected);
    expect(body.details).toBe(result.details);
  });

  it('lifts the shared cache state to the top level, whatever readiness says', () => {
    expect(readyBody({ status: 'ok', details: details('up', 'ready') }, 'ready').sharedCache).toBe('down');
  });
});
