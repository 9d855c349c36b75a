import { EcrAuthError } from '../errors/ecr-auth.error';
import { decodeAuthorizationToken, effectiveExpiry } from './ecr-token';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('decodeAuthorizationToken', () => {
  it.each([
    ['the usual AWS:<secret>', 'AWS:eyJwYXlsb2FkIjoi', { username: 'AWS', password: 'eyJwYXlsb2FkIjoi' }],
    ['a secret containing ":" keeps it whole', 'AWS:part:one::two:', { username: 'AWS', password: 'part:one::two:' }],
    ['a one-character secret', 'AWS:x', { username: 'AWS', password: 'x' }],
    ['another user name', 'oauth2accesstoken:abc', { username: 'oauth2accesstoken', password: 'abc' }],
  ])('decodes %s', (_why, decoded, expected) => {
    expect(decodeAuthorizationToken(b64(decoded))).toEqual(expected);
  });

  it.each([
    ['no colon', b64('AWSQx7secretQx7')],
    ['an empty user name', b64(':Qx7secretQx7')],
    ['an empty secret', b64('AWS:')],
    ['an empty token', ''],
    ['not base64 at all', '!!!Qx7!!!'],
  ])('refuses a token with %s as INTERNAL, without the token in the message', (_why, token) => {
    let error: unknown;
    try {
      decodeAuthorizationToken(token);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EcrAuthError);
    expect(error).toMatchObject({ code: 'INTERNAL', status: 500 });
    const { message } = error as EcrAuthError;
    expect(message).not.toContain('Qx7');
    if (token) expect(message).not.toContain(token);
  });
});

describe('effectiveExpiry', () => {
  const token = new Date('2026-11-25T13:00:00.000Z');

  it.each([
    ['no credential expiry: the token decides', undefined, token],
    ['credentials expiring first win', new Date('2026-11-25T12:30:00.000Z'), new Date('2026-11-25T12:30:00.000Z')],
    ['credentials outliving the token: the token decides', new Date('2026-11-25T14:00:00.000Z'), token],
    ['equal expiries: that instant', new Date(token.getTime()), token],
  ])('%s', (_why, credentials, expected) => {
    expect(effectiveExpiry(token, credentials)).toEqual(expected);
  });
});
