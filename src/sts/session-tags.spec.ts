import { canonicalTags, isValidTagKey, isValidTagValue } from './session-tags';

describe('session tag rules (STS)', () => {
  it.each([
    ['a plain key', 'pipeline', true],
    ['letters, digits, spaces and _.:/=+-@', 'Cost Center_1.a:b/c=d+e-f@g', true],
    ['non-ASCII letters', 'équipe', true],
    ['128 characters', 'k'.repeat(128), true],
    ['129 characters', 'k'.repeat(129), false],
    ['empty', '', false],
    ['the reserved aws: prefix', 'aws:team', false],
    ['the reserved prefix in capitals', 'AWS:Team', false],
    ['a #', 'team#1', false],
    ['a tab', 'a\tb', false],
  ])('key: %s', (_why, key, ok) => {
    expect(isValidTagKey(key)).toBe(ok);
  });

  it.each([
    ['empty', '', true],
    ['256 characters', 'v'.repeat(256), true],
    ['257 characters', 'v'.repeat(257), false],
    ['an aws: prefix (allowed in values)', 'aws:x', true],
    ['a quote', 'a"b', false],
    ['a newline', 'a\nb', false],
  ])('value: %s', (_why, value, ok) => {
    expect(isValidTagValue(value)).toBe(ok);
  });

  it('orders tags by key, whatever the order of the request', () => {
    expect(canonicalTags({ team: 'a', pipeline: 'b' })).toEqual([
      { key: 'pipeline', value: 'b' },
      { key: 'team', value: 'a' },
    ]);
  });
});
