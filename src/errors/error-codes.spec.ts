import { ERROR_CATALOGUE, ERROR_CODES } from './error-codes';

describe('error catalogue', () => {
  const rows = ERROR_CODES.map((code) => [code, ERROR_CATALOGUE[code]] as const);

  it.each(rows)('%s: a retryable failure always serves stale', (_code, spec) => {
    if (spec.retryable) expect(spec.servesStale).toBe(true);
  });

  it.each(rows)('%s: a refusal of the caller or the customer never serves stale', (_code, spec) => {
    if (spec.status < 500 || spec.remembered) expect(spec.servesStale).toBe(false);
  });

  it('serves stale through a jump-role or STS outage (the contract)', () => {
    const stale = ERROR_CODES.filter((code) => ERROR_CATALOGUE[code].servesStale);
    expect(stale).toEqual(
      expect.arrayContaining(['JUMP_ROLE_FAILED', 'SERVICE_CREDENTIALS_INVALID', 'UPSTREAM_UNAVAILABLE']),
    );
  });
});
