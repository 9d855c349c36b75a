import { fingerprint, parseApiTokens } from '../config/api-tokens';
import { BearerAuth } from './bearer-auth';

const A = 'tok-aaaaaaaaaaaaaaaa';
const B = 'tok-bbbbbbbbbbbbbbbb';
const BOUND = 'tok-bound-cccccccccc';
const PADDED = 'dG9rZW4tdG9rZW4tdG8==';

const { tokens } = parseApiTokens(`${A},${B}\n${BOUND}=111111111111|222222222222\n${PADDED}`);
const auth = new BearerAuth(tokens);
const check = (header: string | undefined) => auth.authenticate(BearerAuth.bearerOf(header));

describe('BearerAuth', () => {
  it('is enabled with tokens and disabled without', () => {
    expect(auth.enabled).toBe(true);
    expect(new BearerAuth([]).enabled).toBe(false);
  });

  it.each([A, B, BOUND, PADDED])('accepts the configured token %s', (token) => {
    expect(check(`Bearer ${token}`)?.fingerprint).toBe(fingerprint(token));
  });

  it('returns a token bound to accounts with its accounts', () => {
    const found = check(`Bearer ${BOUND}`);
    expect([...found!.accounts!]).toEqual(['111111111111', '222222222222']);
    expect(check(`Bearer ${A}`)?.accounts).toBeUndefined();
    expect(found?.operator).toBe(false);
    expect(check(`Bearer ${A}`)?.operator).toBe(true);
  });

  it.each([
    ['lower-case scheme', `bearer ${A}`],
    ['upper-case scheme', `BEARER ${A}`],
    ['mixed-case scheme', `BeArEr ${A}`],
    ['several spaces', `Bearer    ${A}`],
    ['a tab', `Bearer\t${A}`],
    ['trailing whitespace', `Bearer ${A}  `],
  ])('accepts %s', (_why, header) => {
    expect(check(header)?.fingerprint).toBe(fingerprint(A));
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['a wrong token', 'Bearer tok-zzzzzzzzzzzzzzzz'],
    ['a prefix of a token', `Bearer ${A.slice(0, -1)}`],
    ['a token with a suffix', `Bearer ${A}x`],
    ['the token in another case', `Bearer ${A.toUpperCase()}`],
    ['the token without a scheme', A],
    ['another scheme', `Basic ${A}`],
    ['the scheme alone', 'Bearer'],
    ['the scheme and a space', 'Bearer '],
    ['no space after the scheme', `Bearer${A}`],
    ['two tokens', `Bearer ${A} ${B}`],
    ['a leading space', ` Bearer ${A}`],
    ['the bound token with its binding', `Bearer ${BOUND}=111111111111`],
    ['an over-long header', `Bearer ${A}${' '.repeat(17_000)}`],
  ])('refuses %s', (_why, header) => {
    expect(check(header)).toBeUndefined();
  });

  it('refuses everything when no token is configured', () => {
    expect(new BearerAuth([]).authenticate(A)).toBeUndefined();
  });

  it('returns the first configured entry when the same token is listed twice', () => {
    const twice = new BearerAuth(parseApiTokens(`${A}=111111111111\n${A}`).tokens);
    expect([...twice.authenticate(A)!.accounts!]).toEqual(['111111111111']);
  });
});
