import { createHmac } from 'node:crypto';
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { FakeIssuer } from '../../test/fixtures/oidc-issuer';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { JWT_REFUSED_MESSAGE, OidcVerifier } from './oidc.service';

const T0 = Date.UTC(2026, 0, 1);
const A = '111111111111';
const B = '222222222222';

let issuer: FakeIssuer;
let verifier: OidcVerifier;
let now = T0;
const clock = () => now;

beforeAll(async () => {
  issuer = await FakeIssuer.start();
  await issuer.addKey('ES256', 'es-1');
  await issuer.addKey('RS256', 'rs-1');
  verifier = new OidcVerifier(
    [
      issuer.provider({
        rules: [
          { claims: { sub: 'repo:acme/*', ref: 'refs/heads/main' }, accounts: [A] },
          { claims: { sub: 'repo:acme/web:*' }, accounts: [B] },
          { claims: { sub: 'repo:acme/platform-ops:*' }, operator: true },
        ],
      }),
    ],
    clock,
  );
  await verifier.start();
});
afterAll(async () => {
  verifier.close();
  await issuer.stop();
});
beforeEach(() => {
  now = T0;
});

/** The EcrAuthError a verification throws, or a failure when it succeeds. */
async function refusal(token: string): Promise<EcrAuthError> {
  try {
    await verifier.verify(token);
  } catch (e) {
    if (e instanceof EcrAuthError) return e;
    throw e;
  }
  throw new Error('expected the token to be refused');
}

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const claims = (more: Record<string, unknown> = {}) => ({
  iss: issuer.issuer,
  aud: 'ecr-auth',
  sub: 'repo:acme/app:ref:refs/heads/main',
  exp: T0 / 1000 + 600,
  ...more,
});

describe('OidcVerifier accepts', () => {
  it.each(['es-1', 'rs-1'])('a token signed by %s and turns it into a caller', async (kid) => {
    const key = issuer.keys.find((k) => k.kid === kid);
    const token = await issuer.sign(now, { ref: 'refs/heads/main' }, { key });
    expect(await verifier.verify(token)).toEqual({
      kind: 'jwt',
      id: `jwt:${issuer.issuer}#repo:acme/app:ref:refs/heads/main`,
      name: 'repo:acme/app:ref:refs/heads/main',
      issuer: issuer.issuer,
      subject: 'repo:acme/app:ref:refs/heads/main',
      accounts: new Set([A]),
      operator: false,
    });
  });

  it('aud as a list that contains the audience', async () => {
    const token = await issuer.sign(now, { aud: ['other', 'ecr-auth'], sub: 'repo:acme/web:x' });
    expect((await verifier.verify(token)).accounts).toEqual(new Set([B]));
  });

  it('nbf and iat up to 60 s in the future (clock skew)', async () => {
    const token = await issuer.sign(now, { nbf: now / 1000 + 60, iat: now / 1000 + 60, sub: 'repo:acme/web:y' });
    await expect(verifier.verify(token)).resolves.toMatchObject({ kind: 'jwt' });
  });

  it('claims matching no rule: a caller that reaches no account', async () => {
    const token = await issuer.sign(now, { sub: 'repo:evil/app:ref:refs/heads/main' });
    expect(await verifier.verify(token)).toMatchObject({ accounts: new Set(), operator: false });
  });

  it('an operator rule without accounts: an operator reaching every account', async () => {
    const token = await issuer.sign(now, { sub: 'repo:acme/platform-ops:ref:refs/heads/main' });
    expect(await verifier.verify(token)).toMatchObject({ accounts: undefined, operator: true });
  });

  it('a token without kid, by key type and algorithm, also among several keys of that type', async () => {
    const second = await issuer.addKey('ES256', 'es-2');
    await verifier.refreshAll();
    const token = await issuer.sign(now, { sub: 'repo:acme/web:nokid' }, { key: second, kid: null });
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'repo:acme/web:nokid' });
    issuer.removeKey('es-2');
    await verifier.refreshAll();
  });
});

describe('OidcVerifier refuses, always with the same 401 and never the token', () => {
  const cases: Array<[string, () => Promise<string>]> = [
    ['expired', () => issuer.sign(now, { exp: now / 1000 - 1 })],
    ['expiring this very second', () => issuer.sign(now, { exp: now / 1000 })],
    ['not yet valid', () => issuer.sign(now, { nbf: now / 1000 + 61 })],
    ['issued in the future', () => issuer.sign(now, { iat: now / 1000 + 61 })],
    ['without exp', () => issuer.sign(now, { exp: undefined })],
    ['without sub', () => issuer.sign(now, { sub: undefined })],
    ['for another audience', () => issuer.sign(now, { aud: 'someone-else' })],
    ['for a list of other audiences', () => issuer.sign(now, { aud: ['a', 'b'] })],
    ['of an unconfigured issuer', () => issuer.sign(now, { iss: 'https://evil.example.com' })],
    [
      'with a configured iss but the issuer URL spelled differently',
      () => issuer.sign(now, { iss: `${issuer.issuer}/` }),
    ],
    ['with alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    ['with alg none and a kid', async () => `${b64({ alg: 'none', kid: 'es-1' })}.${b64(claims())}.`],
    ['HS256 keyed with the issuer public key as PEM', () => hmacWithPublicKey('pem')],
    ['HS256 keyed with the issuer public key as JWK', () => hmacWithPublicKey('jwk')],
    [
      'with a known kid signed by another key',
      async () => issuer.sign(now, {}, { key: await issuer.addKey('ES256', 'es-1', false) }),
    ],
    ['with the payload changed after signing', async () => tamper(await issuer.sign(now, { sub: 'repo:evil/x' }))],
    ['with a header changed after signing', async () => retarget(await issuer.sign(now, {}, { key: issuer.keys[1] }))],
    ['garbage in three parts', async () => 'abc.def.ghi'],
    [
      'three parts of base64url JSON that is no JWS',
      async () => `${b64({ alg: 'ES256', kid: 'es-1' })}.${b64(claims())}.${b64('sig')}`,
    ],
    ['with an algorithm outside the allowlist (ES512)', () => signWith('ES512')],
    ['not a JWT at all', async () => 'tok-aaaaaaaaaaaaaaaa'],
  ];

  it.each(cases)('%s', async (_why, make) => {
    const token = await make();
    const error = await refusal(token);
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.status).toBe(401);
    expect(error.message).toBe(JWT_REFUSED_MESSAGE);
    const seen = `${error.message} ${String(error.cause)} ${JSON.stringify(error)}`;
    for (const part of token.split('.').filter((p) => p.length > 8)) expect(seen).not.toContain(part);
  });

  it('refuses a remembered token once it expires', async () => {
    const token = await issuer.sign(now, { exp: now / 1000 + 30, sub: 'repo:acme/web:memo-exp' });
    await verifier.verify(token);
    now += 30_000;
    expect((await refusal(token)).code).toBe('UNAUTHENTICATED');
  });
});

describe('OidcVerifier memo', () => {
  it('verifies a token sent 1,000 times once, also when sent concurrently', async () => {
    const token = await issuer.sign(now, { sub: 'repo:acme/web:builds' });
    const before = verifier.verifications;
    const callers = await Promise.all(Array.from({ length: 500 }, () => verifier.verify(token)));
    for (let i = 0; i < 500; i++) callers.push(await verifier.verify(token));
    expect(new Set(callers).size).toBe(1);
    expect(verifier.verifications - before).toBe(1);
  });

  it('does not remember refusals as acceptances', async () => {
    const token = await issuer.sign(now, { aud: 'nope' });
    await refusal(token);
    expect((await refusal(token)).code).toBe('UNAUTHENTICATED');
  });
});

describe('isJwt', () => {
  it.each([
    ['a.b.c', true],
    ['a.b.', true],
    ['a.b', false],
    ['a.b.c.d', false],
    ['.b.c', false],
    ['tok-aaaaaaaaaaaaaaaa', false],
    ['a b.c.d', false],
    [`${'a'.repeat(16_385)}.b.c`, false],
  ])('%s -> %s', (bearer, expected) => {
    expect(verifier.isJwt(bearer)).toBe(expected);
  });
});

/** The confused-algorithm forgery: the issuer's public key bytes used as an HMAC secret. */
async function hmacWithPublicKey(form: 'pem' | 'jwk'): Promise<string> {
  const es = issuer.keys[0];
  const secret = form === 'jwk' ? JSON.stringify(es.publicJwk) : await exportSPKI(await publicOf(es.publicJwk));
  const header = b64({ alg: 'HS256', typ: 'JWT', kid: es.kid });
  const payload = b64(claims());
  const mac = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${mac}`;
}

async function publicOf(jwk: object): Promise<CryptoKey> {
  const { importJWK } = await import('jose');
  return (await importJWK({ ...jwk, ext: true }, 'ES256')) as CryptoKey;
}

function tamper(token: string): string {
  const [h, , s] = token.split('.');
  return `${h}.${b64(claims({ sub: 'repo:acme/platform-ops:ref:refs/heads/main' }))}.${s}`;
}

/** An RS256 signature presented under the ES256 key's kid. */
function retarget(token: string): string {
  const [, p, s] = token.split('.');
  return `${b64({ alg: 'RS256', typ: 'JWT', kid: 'es-1' })}.${p}.${s}`;
}

async function signWith(alg: 'ES512'): Promise<string> {
  const { privateKey } = await generateKeyPair(alg);
  return new SignJWT(claims()).setProtectedHeader({ alg, kid: 'es-1' }).sign(privateKey);
}
