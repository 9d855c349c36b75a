import { refreshAt } from '../lifetime/lifetime.rule';
import { assess, storeTtlMs } from './refresh-policy';

const S = { refreshBufferMs: 300_000, minTtlMs: 60_000 };
const T0 = 1_800_000_000_000;
const HOUR = 3_600_000;
const entry = { mintedAt: T0, expiresAt: T0 + HOUR };

describe('refresh policy', () => {
  it.each([
    ['just minted', T0, 'fresh'],
    ['one second before the refresh time', T0 + HOUR - 301_000, 'fresh'],
    ['at the refresh time (expiry - buffer)', T0 + HOUR - 300_000, 'refresh'],
    ['inside the buffer, above the minimum', T0 + HOUR - 61_000, 'refresh'],
    ['exactly the minimum left', T0 + HOUR - 60_000, 'unusable'],
    ['expired', T0 + HOUR + 1, 'unusable'],
    ['clock moved backwards before the mint', T0 - 600_000, 'fresh'],
  ])('%s → %s', (_why, now, expected) => {
    expect(assess(entry, now, S)).toBe(expected);
  });

  it('a buffer longer than the lifetime refreshes half-way, not on every request', () => {
    const short = { mintedAt: T0, expiresAt: T0 + 900_000 };
    const settings = { refreshBufferMs: HOUR, minTtlMs: 60_000 };
    expect(refreshAt(short, settings)).toBe(T0 + 450_000);
    expect(assess(short, T0 + 1000, settings)).toBe('fresh');
    expect(assess(short, T0 + 450_000, settings)).toBe('refresh');
  });

  it('a token expiring before its credentials is judged by its own (effective) expiry', () => {
    const early = { mintedAt: T0, expiresAt: T0 + 120_000 };
    expect(assess(early, T0 + 59_000, S)).toBe('fresh');
    expect(assess(early, T0 + 61_000, S)).toBe('unusable');
  });

  it('a buffer under twice the minimum is raised to it: a refresh always has time while the token still answers', () => {
    const noBuffer = { refreshBufferMs: 0, minTtlMs: 60_000 };
    expect(refreshAt(entry, noBuffer)).toBe(T0 + HOUR - 120_000);
    expect(assess(entry, T0 + HOUR - 119_000, noBuffer)).toBe('refresh');
    expect(assess(entry, T0 + HOUR - 60_000, noBuffer)).toBe('unusable');
  });

  it('35 s into a 90 s token with a 60 s minimum and no buffer: never served again', () => {
    const short = { mintedAt: T0, expiresAt: T0 + 90_000 };
    expect(assess(short, T0 + 35_000, { refreshBufferMs: 0, minTtlMs: 60_000 })).toBe('unusable');
  });

  it('store TTL ends when the entry becomes unusable; none for a token born under the minimum', () => {
    expect(storeTtlMs(entry, T0, S)).toBe(HOUR - 60_000);
    expect(storeTtlMs({ mintedAt: T0, expiresAt: T0 + 30_000 }, T0, S)).toBe(0);
  });
});
