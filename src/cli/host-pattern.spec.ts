import { bestPatternFor, compareSpecificity, HostPattern, matchesHostPattern, parseHostPattern } from './host-pattern';

const p = (s: string): HostPattern => {
  const parsed = parseHostPattern(s);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};

describe('parseHostPattern', () => {
  it.each([
    ['*.dkr.ecr.us-east-1.amazonaws.com', 1],
    ['123456789012.dkr.ecr.*.amazonaws.com', 1],
    ['*.dkr.ecr.*.amazonaws.com', 2],
    ['*.DKR.ECR.EU-WEST-1.AMAZONAWS.COM', 1],
  ])('accepts %s (%i wildcards)', (source, wildcards) => {
    expect(p(source)).toMatchObject({ source: source.toLowerCase(), wildcards });
  });

  it.each([
    ['a partial wildcard', '12345*.dkr.ecr.us-east-1.amazonaws.com', /must stand alone/],
    ['a doubled wildcard', '**.dkr.ecr.us-east-1.amazonaws.com', /must stand alone/],
    ['an empty label', '*..amazonaws.com', /DNS label/],
    ['a single label', '*', /two labels/],
    ['only wildcards', '*.*', /not "\*"/],
    ['a scheme', 'https://*.dkr.ecr.us-east-1.amazonaws.com', /DNS label/],
    ['a port', '*.dkr.ecr.us-east-1.amazonaws.com:443', /DNS label/],
  ])('refuses %s', (_why, source, reason) => {
    expect(parseHostPattern(source)).toMatch(reason);
  });
});

describe('matchesHostPattern: "*" is exactly one label', () => {
  const pattern = p('*.dkr.ecr.us-east-1.amazonaws.com');
  it.each([
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com', true],
    ['a.b.dkr.ecr.us-east-1.amazonaws.com', false],
    ['dkr.ecr.us-east-1.amazonaws.com', false],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example', false],
    ['123456789012.dkr.ecr.us-west-2.amazonaws.com', false],
  ])('%s → %s', (host, expected) => {
    expect(matchesHostPattern(pattern, host)).toBe(expected);
  });
});

describe('bestPatternFor: the more specific pattern wins, whatever the order', () => {
  const host = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
  it.each([
    [
      ['*.dkr.ecr.*.amazonaws.com', '*.dkr.ecr.us-east-1.amazonaws.com'],
      '*.dkr.ecr.us-east-1.amazonaws.com',
      'fewer wildcards',
    ],
    [
      ['*.dkr.ecr.us-east-1.amazonaws.com', '123456789012.dkr.ecr.*.amazonaws.com'],
      '123456789012.dkr.ecr.*.amazonaws.com',
      'a tie: the leftmost literal (the account)',
    ],
    [['*.dkr.ecr.us-west-2.amazonaws.com'], undefined, 'no match'],
  ])('%j → %s (%s)', (sources, expected, _why) => {
    const patterns = sources.map(p);
    expect(bestPatternFor(patterns, host)?.source).toBe(expected);
    expect(bestPatternFor([...patterns].reverse(), host)?.source).toBe(expected);
  });

  it('orders equal patterns as equal', () => {
    expect(compareSpecificity(p('*.a.b'), p('*.a.b'))).toBe(0);
  });
});
