import { EcrAuthError } from '../errors/ecr-auth.error';
import { DeniedMemory } from './denied-memory';

const denied = new EcrAuthError('ASSUME_ROLE_DENIED', 'refused');
const T0 = Date.UTC(2030, 0, 1);

/** A DeniedMemory on a clock the test moves. */
function memory(ttlMs: number, max = 10) {
  let now = T0;
  const m = new DeniedMemory(ttlMs, max, () => now);
  return { m, at: (ms: number) => void (now = T0 + ms) };
}

describe('denied memory', () => {
  it('recalls a refusal for the window [at, at + ttl), then forgets it', () => {
    const { m, at } = memory(10_000);
    at(1000);
    m.remember('k', denied, ['role:r']);
    at(5000);
    expect(m.recall('k')?.code).toBe('ASSUME_ROLE_DENIED');
    at(10_999);
    expect(m.recall('k')?.message).toMatch(/^refused \(remembered for a few seconds/);
    at(11_000);
    expect(m.recall('k')).toBeUndefined();
  });

  it('forgets when the clock moves backwards past the remembering', () => {
    const { m, at } = memory(10_000);
    at(100_000);
    m.remember('k', denied, []);
    at(50_000);
    expect(m.recall('k')).toBeUndefined();
    at(100_001);
    expect(m.recall('k')).toBeUndefined();
  });

  it('remembers only refusals, and nothing when turned off', () => {
    const { m } = memory(10_000);
    m.remember('k', new EcrAuthError('UPSTREAM_THROTTLED', 'slow down'), []);
    expect(m.recall('k')).toBeUndefined();
    const off = memory(0).m;
    off.remember('k', denied, []);
    expect(off.recall('k')).toBeUndefined();
  });

  it('is bounded (least recently used first) and forgets by label, counting live refusals only', () => {
    const { m, at } = memory(10_000, 2);
    ['a', 'b', 'c'].forEach((k) => m.remember(k, denied, [`role:${k}`, 'registry:x']));
    expect(m.recall('a')).toBeUndefined();
    expect(m.forget('role:b')).toBe(1);
    expect(m.recall('b')).toBeUndefined();
    expect(m.recall('c')).toBeDefined();
    at(20_000);
    expect(m.forget('registry:x')).toBe(0); // c's window is over
  });
});
