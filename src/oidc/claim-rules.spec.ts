import type { ClaimRule } from '../config/oidc-providers';
import { claimStrings, globMatches, grantOf } from './claim-rules';

describe('globMatches', () => {
  it.each([
    // why each row exists
    ['repo:acme/app', 'repo:acme/app', true, 'no star: exact'],
    ['repo:acme/app', 'repo:acme/apps', false, 'no star: no prefix match'],
    ['repo:acme/*', 'repo:acme/app:ref:refs/heads/main', true, 'trailing star spans colons and slashes'],
    ['repo:acme/*', 'repo:acme/', true, 'a star matches the empty run'],
    ['repo:acme/*', 'repo:acmex/app', false, 'the literal prefix is whole'],
    ['*:ref:refs/heads/main', 'repo:a/b:ref:refs/heads/main', true, 'leading star'],
    ['*:ref:refs/heads/main', 'repo:a/b:ref:refs/heads/main2', false, 'the literal suffix is whole'],
    ['repo:*/infra:*', 'repo:acme/infra:environment:prod', true, 'two stars'],
    ['repo:*/infra:*', 'repo:acme/infra2:environment:prod', false, 'middle part must be followed by the rest'],
    ['a*b*b', 'abb', true, 'middle and suffix may be adjacent'],
    ['a*bb*bb', 'abbb', false, 'middle and suffix may not overlap'],
    ['*', '', true, 'a lone star matches anything'],
    ['**', 'x', true, 'stars in a row are one star'],
    ['repo.acme', 'repoXacme', false, 'a dot is literal, not a regex wildcard'],
    ['a+b', 'aab', false, 'a plus is literal'],
    ['(a|b)', 'a', false, 'parentheses and bars are literal'],
    ['[ab]', 'a', false, 'brackets are literal'],
    ['a?', 'ab', false, 'a question mark is literal'],
    ['^a$', '^a$', true, 'anchors are literal'],
    ['a\\*', 'a\\xyz', true, 'a backslash is literal and escapes nothing'],
    ['Repo:*', 'repo:x', false, 'case-sensitive'],
  ])('%s vs %s -> %s (%s)', (pattern, value, expected) => {
    expect(globMatches(pattern, value)).toBe(expected);
  });

  it('stays linear on a pattern built to backtrack', () => {
    const value = 'a'.repeat(10_000);
    expect(globMatches('*a*a*a*a*a*a*a*a*b', value)).toBe(false);
  });
});

describe('claimStrings', () => {
  it.each([
    ['x', ['x']],
    [42, ['42']],
    [true, ['true']],
    [
      ['a', 1, false, null, { x: 1 }],
      ['a', '1', 'false'],
    ],
    [null, []],
    [{ sub: 'x' }, []],
    [undefined, []],
  ])('%j -> %j', (value, expected) => {
    expect(claimStrings(value)).toEqual(expected);
  });
});

describe('grantOf', () => {
  const rule = (claims: Record<string, string | string[]>, more: Partial<ClaimRule> = {}): ClaimRule => ({
    claims: Object.entries(claims).map(([name, p]) => ({ name, patterns: typeof p === 'string' ? [p] : p })),
    operator: false,
    ...more,
  });
  const A = '111111111111';
  const B = '222222222222';
  const rules: ClaimRule[] = [
    rule({ sub: 'repo:acme/*', ref: 'refs/heads/main' }, { accounts: new Set([A]) }),
    rule({ sub: 'repo:acme/web:*' }, { accounts: new Set([B]) }),
    rule({ sub: 'repo:acme/platform-ops:*' }, { operator: true }),
    rule({ groups: 'deployers', run_attempt: ['1', '2'] }, { accounts: new Set([B]) }),
  ];

  it.each([
    [
      'every claim of a rule must match',
      { sub: 'repo:acme/api:x', ref: 'refs/heads/dev' },
      { accounts: new Set(), operator: false },
    ],
    [
      'one rule matched',
      { sub: 'repo:acme/api:x', ref: 'refs/heads/main' },
      { accounts: new Set([A]), operator: false },
    ],
    [
      'the union of matched rules',
      { sub: 'repo:acme/web:x', ref: 'refs/heads/main' },
      { accounts: new Set([A, B]), operator: false },
    ],
    [
      'a rule without accounts reaches every account',
      { sub: 'repo:acme/platform-ops:x', ref: 'refs/heads/main' },
      { accounts: undefined, operator: true },
    ],
    ['no rule matched: nothing', { sub: 'repo:evil/x:y' }, { accounts: new Set(), operator: false }],
    ['an absent claim never matches, even a star', {}, { accounts: new Set(), operator: false }],
    [
      'an array claim matches if one element does; a number is compared as text',
      { groups: ['readers', 'deployers'], run_attempt: 2 },
      { accounts: new Set([B]), operator: false },
    ],
    [
      'a nested object never matches',
      { groups: { name: 'deployers' }, run_attempt: 1 },
      { accounts: new Set(), operator: false },
    ],
  ])('%s', (_why, claims, expected) => {
    expect(grantOf(rules, claims)).toEqual(expected);
  });

  it('does not take an inherited property for a claim', () => {
    expect(grantOf([rule({ constructor: '*' }, { operator: true })], {})).toEqual({
      accounts: new Set(),
      operator: false,
    });
  });
});
