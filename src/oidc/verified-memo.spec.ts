import type { Caller } from '../auth/caller';
import { VerifiedMemo } from './verified-memo';

const caller: Caller = { kind: 'jwt', id: 'jwt:https://i#s', name: 's', operator: false, accounts: new Set() };

describe('VerifiedMemo', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('keys by a SHA-256 of the token, never the token', () => {
    const key = VerifiedMemo.keyOf('header.payload.signature');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('payload');
  });

  it('remembers until exp, not a millisecond longer', () => {
    const memo = new VerifiedMemo(clock);
    memo.set('k', caller, now + 1000);
    now += 999;
    expect(memo.get('k')).toBe(caller);
    now += 1;
    expect(memo.get('k')).toBeUndefined();
  });

  it('does not store what already expired', () => {
    const memo = new VerifiedMemo(clock);
    memo.set('k', caller, now);
    expect(memo.size).toBe(0);
  });

  it('is bounded: the least recently used go first', () => {
    const memo = new VerifiedMemo(clock, 3);
    for (const k of ['a', 'b', 'c']) memo.set(k, caller, now + 60_000);
    memo.get('a');
    memo.set('d', caller, now + 60_000);
    expect(memo.size).toBe(3);
    expect(memo.get('b')).toBeUndefined();
    expect(memo.get('a')).toBe(caller);
  });
});
