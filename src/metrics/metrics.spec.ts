import { Metrics } from './metrics';

/** The shared cache's state as a gauge: one series per state, 1 for the current one. */
describe('Metrics: ecr_auth_shared_cache_state', () => {
  const series = async (m: Metrics) =>
    (await m.text()).split('\n').filter((line) => line.startsWith('ecr_auth_shared_cache_state{'));

  it('says off until a shared tier reports', async () => {
    expect(await series(new Metrics())).toEqual([
      'ecr_auth_shared_cache_state{state="up"} 0',
      'ecr_auth_shared_cache_state{state="degraded"} 0',
      'ecr_auth_shared_cache_state{state="down"} 0',
      'ecr_auth_shared_cache_state{state="off"} 1',
    ]);
  });

  it('reads the state at scrape time', async () => {
    const m = new Metrics();
    let state: 'up' | 'degraded' = 'up';
    m.watchSharedCache(() => state);
    expect(await series(m)).toContain('ecr_auth_shared_cache_state{state="up"} 1');
    state = 'degraded';
    const now = await series(m);
    expect(now).toContain('ecr_auth_shared_cache_state{state="degraded"} 1');
    expect(now).toContain('ecr_auth_shared_cache_state{state="up"} 0');
  });
});
