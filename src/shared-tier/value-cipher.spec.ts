import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import type { CachedLogin } from './cached-login';
import { ValueCipher } from './value-cipher';

const OLD = randomBytes(32);
const NEW = randomBytes(32);
const KEY = 'tok:abcDEF123_-';
const LOGIN: CachedLogin = {
  username: 'AWS',
  password: 'ecr-password-e3b0c44298fc1c149afbf4c8996fb924',
  expiresAt: 1_893_553_445_000,
  mintedAt: 1_893_549_845_000,
  sessionName: 'ecr-auth.222222222222.dkr.ecr.eu-west-1.amazonaws.com.1893549845',
};

describe('ValueCipher', () => {
  const cipher = new ValueCipher([OLD]);

  it('opens what it sealed, under the same cache key, every field included', () => {
    expect(cipher.open(KEY, cipher.seal(KEY, LOGIN))).toStrictEqual(LOGIN);
    const { sessionName: _omit, ...minimal } = LOGIN;
    expect(cipher.open(KEY, cipher.seal(KEY, minimal))).toEqual(minimal);
  });

  it('writes the versioned format v1.<kid>.<iv>.<ciphertext+tag>, and no clear text', () => {
    const sealed = cipher.seal(KEY, LOGIN);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed.split('.')[1]).toBe(cipher.keyIds[0]);
    expect(sealed).not.toContain(LOGIN.password);
    expect(sealed).not.toContain(LOGIN.username);
    expect(sealed).not.toContain(Buffer.from(LOGIN.password).toString('base64url'));
    expect(sealed).not.toContain(KEY);
  });

  it('uses a fresh IV each time', () => {
    const a = cipher.seal(KEY, LOGIN);
    const b = cipher.seal(KEY, LOGIN);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
    expect(a).not.toBe(b);
  });

  it('rotates: a value sealed with the old key opens with [new, old]; new values are sealed with the new key', () => {
    const sealedOld = cipher.seal(KEY, LOGIN);
    const rotated = new ValueCipher([NEW, OLD]);
    expect(rotated.open(KEY, sealedOld)).toEqual(LOGIN);
    const sealedNew = rotated.seal(KEY, LOGIN);
    expect(sealedNew.split('.')[1]).toBe(rotated.keyIds[0]);
    expect(rotated.keyIds[0]).not.toBe(rotated.keyIds[1]);
    // Once the old key is removed, its values are misses; the new key's still open.
    const retired = new ValueCipher([NEW]);
    expect(retired.open(KEY, sealedOld)).toBeUndefined();
    expect(retired.open(KEY, sealedNew)).toEqual(LOGIN);
    // A replica not yet rotated cannot read the new key's values (a miss, not an error).
    expect(cipher.open(KEY, sealedNew)).toBeUndefined();
  });

  it('refuses a value whose kid is forged to name another configured key', () => {
    const both = new ValueCipher([NEW, OLD]);
    const [v, , iv, body] = cipher.seal(KEY, LOGIN).split('.');
    expect(both.open(KEY, [v, both.keyIds[0], iv, body].join('.'))).toBeUndefined();
  });

  it('refuses a value moved to another cache key (the key is the AAD)', () => {
    expect(cipher.open('tok:another', cipher.seal(KEY, LOGIN))).toBeUndefined();
  });

  it('refuses a value with any single character changed', () => {
    const sealed = cipher.seal(KEY, LOGIN);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(
      fc.property(fc.nat({ max: sealed.length - 1 }), fc.constantFrom(...alphabet), (at, ch) => {
        fc.pre(sealed[at] !== ch);
        const tampered = sealed.slice(0, at) + ch + sealed.slice(at + 1);
        return cipher.open(KEY, tampered) === undefined;
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a flipped bit anywhere in the ciphertext or tag', () => {
    const sealed = cipher.seal(KEY, LOGIN);
    const [v, kid, iv, body] = sealed.split('.');
    const bytes = Buffer.from(body, 'base64url');
    for (let i = 0; i < bytes.length; i++) {
      const copy = Buffer.from(bytes);
      copy[i] ^= 0x01;
      expect(cipher.open(KEY, [v, kid, iv, copy.toString('base64url')].join('.'))).toBeUndefined();
    }
  });

  it('refuses truncated values', () => {
    const sealed = cipher.seal(KEY, LOGIN);
    for (let n = 0; n < sealed.length; n += 7) expect(cipher.open(KEY, sealed.slice(0, n))).toBeUndefined();
    expect(cipher.open(KEY, sealed.slice(0, -1))).toBeUndefined();
  });

  it('refuses garbage and non-strings without throwing', () => {
    const garbage: unknown[] = [
      undefined,
      null,
      42,
      {},
      [],
      '',
      '.',
      '...',
      'v1...',
      'v1.x.y.z',
      'v2.AAAAAA.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAA',
      JSON.stringify(LOGIN),
      '{"value":"x"}',
      'v1.' + 'A'.repeat(100_000),
      'v1.\u0000.\u0000.\u0000',
    ];
    for (const g of garbage) expect(cipher.open(KEY, g)).toBeUndefined();
    fc.assert(fc.property(fc.string(), (s) => cipher.open(KEY, s) === undefined));
    fc.assert(fc.property(fc.string(), (s) => cipher.open(KEY, `v1.${cipher.keyIds[0]}.${s}`) === undefined));
  });

  it('refuses a well-encrypted value that is not a login', () => {
    // Sealed by the real key with a wrong shape: only possible with the key, still rejected.
    const odd = cipher.seal(KEY, {
      username: 'AWS',
      password: 'p',
      expiresAt: 'soon',
      mintedAt: 1,
    } as unknown as CachedLogin);
    expect(cipher.open(KEY, odd)).toBeUndefined();
  });

  it('refuses keys that are not 32 bytes, and an empty key list', () => {
    expect(() => new ValueCipher([])).toThrow(/at least one key/);
    expect(() => new ValueCipher([randomBytes(16)])).toThrow(/not 32 bytes/);
  });
});
