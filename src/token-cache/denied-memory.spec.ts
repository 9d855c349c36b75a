import { EcrAuthError } from '../errors/ecr-auth.error';
import { DeniedMemory } from './denied-memory';
import { EvictionIndex } from './eviction-index';

const denied = new EcrAuthError('ASSUME_ROLE_DENIED', 'refused');

describe('denied memory', () => {
  it('recalls a refusal until its time is up, then forgets it', () => {
    const m = new DeniedMemory(10_000, 10);
    m.remember('k', denied, 1000, ['role:r']);
    expect(m.recall('k', 5000)?.code).toBe('ASSUME_ROLE_DENIED');
    expect(m.recall('k', 11_000)).toBeUndefined();
  });

  it('forgets when the clock moves backwards past the remembering', () => {
    const m = new DeniedMemory(10_000, 10);
    m.remember('k', denied, 100_000, []);
    expect(m.recall('k', 50_000)).toBeUndefined();
  });

  it('remembers only refusals, and nothing when turned off', () => {
    const m = new DeniedMemory(10_000, 10);
    m.remember('k', new EcrAuthError('UPSTREAM_THROTTLED', 'slow down'), 0, []);
    expect(m.recall('k', 1)).toBeUndefined();
    const off = new DeniedMemory(0, 10);
    off.remember('k', denied, 0, []);
    expect(off.recall('k', 1)).toBeUndefined();
  });

  it('is bounded and forgets by label', () => {
    const m = new DeniedMemory(10_000, 2);
    ['a', 'b', 'c'].forEach((k) => m.remember(k, denied, 0, [`role:${k}`]));
    expect(m.recall('a', 1)).toBeUndefined();
    expect(m.forget('role:b')).toBe(1);
    expect(m.recall('b', 1)).toBeUndefined();
    expect(m.recall('c', 1)).toBeDefined();
  });
});

describe('eviction index', () => {
  it('finds keys by label and drops the oldest past its bound', () => {
    const i = new EvictionIndex(2);
    i.add('k1', ['role:a', 'registry:x']);
    i.add('k2', ['role:a']);
    expect(i.keysOf('role:a').sort()).toEqual(['k1', 'k2']);
    i.add('k3', ['role:b']);
    expect(i.keysOf('registry:x')).toEqual([]);
    i.remove('k2');
    expect(i.keysOf('role:a')).toEqual([]);
    expect(i.size).toBe(1);
  });
});
