import { parseOidcProviders } from './oidc-providers';
import { ConfigError, parseConfig } from './parse-config';

const GH = 'https://token.actions.githubusercontent.com';
const good = {
  issuer: GH,
  audience: 'ecr-auth',
  jwksUri: `${GH}/.well-known/jwks`,
  rules: [
    { claims: { sub: 'repo:acme/*', ref: 'refs/heads/main' }, accounts: ['123456789012'] },
    { claims: { sub: ['repo:acme/platform-ops:*', 'repo:acme/infra:*'] }, operator: true },
  ],
};

/** The problem lines for one provider entry (given as a patch of `good`). */
function problemsOf(patch: Record<string, unknown>, readFile?: (path: string) => string): string[] {
  return parseOidcProviders(JSON.stringify([{ ...good, ...patch }]), readFile).problems;
}

describe('parseOidcProviders', () => {
  it('parses the contract example into frozen providers with patterns as lists', () => {
    const { providers, problems } = parseOidcProviders(JSON.stringify([good]));
    expect(problems).toEqual([]);
    expect(providers).toHaveLength(1);
    const [p] = providers;
    expect(p).toMatchObject({ issuer: GH, audience: 'ecr-auth', jwksUri: `${GH}/.well-known/jwks` });
    expect(p.algorithms).toContain('ES256');
    expect(p.rules[0]).toEqual({
      claims: [
        { name: 'sub', patterns: ['repo:acme/*'] },
        { name: 'ref', patterns: ['refs/heads/main'] },
      ],
      accounts: new Set(['123456789012']),
      operator: false,
    });
    expect(p.rules[1]).toMatchObject({ accounts: undefined, operator: true });
    expect(Object.isFrozen(p) && Object.isFrozen(p.rules) && Object.isFrozen(p.rules[0].claims)).toBe(true);
  });

  it.each([
    ['http://127.0.0.1:8080/jwks'],
    ['http://127.1.2.3/jwks'],
    ['http://localhost:9000/keys'],
    ['http://[::1]:9000/keys'],
    ['https://example.com/keys'],
  ])('accepts the JWKS URI %s', (jwksUri) => {
    expect(problemsOf({ jwksUri })).toEqual([]);
  });

  it('reads a jwksFile through the injected reader and checks it holds a key set', () => {
    const files: Record<string, string> = { '/keys.json': '{"keys":[]}', '/bad.json': '{"nope":1}' };
    const read = (path: string) => {
      if (!(path in files)) throw new Error('ENOENT');
      return files[path];
    };
    expect(problemsOf({ jwksUri: undefined, jwksFile: '/keys.json' }, read)).toEqual([]);
    expect(problemsOf({ jwksUri: undefined, jwksFile: '/bad.json' }, read)).toEqual([
      `provider 1 (${GH}): jwksFile: must hold a JSON Web Key Set ({"keys": [...]})`,
    ]);
    expect(problemsOf({ jwksUri: undefined, jwksFile: '/missing.json' }, read)).toEqual([
      `provider 1 (${GH}): jwksFile: names a file that cannot be read`,
    ]);
  });

  const at = `provider 1 (${GH}):`;
  it.each([
    [
      'http:// JWKS off loopback',
      { jwksUri: 'http://keys.example.com/jwks' },
      [`${at} jwksUri: must be https://, or http:// to a loopback address`],
    ],
    ['a missing audience', { audience: undefined }, [`${at} audience: is required (the "aud" the tokens must carry)`]],
    ['an empty audience', { audience: '' }, [`${at} audience: is required (the "aud" the tokens must carry)`]],
    ['both jwksUri and jwksFile', { jwksFile: '/k.json' }, [`${at} must set exactly one of jwksUri and jwksFile`]],
    ['neither jwksUri nor jwksFile', { jwksUri: undefined }, [`${at} must set exactly one of jwksUri and jwksFile`]],
    [
      'an HMAC algorithm',
      { algorithms: ['RS256', 'HS256'] },
      [`${at} algorithms[1]: must be one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, EdDSA`],
    ],
    ['an unknown provider field', { audiences: ['x'] }, [`${at} has an unknown field "audiences"`]],
    ['no rules', { rules: [] }, [`${at} rules: must list at least one rule`]],
    [
      'a rule with an unknown field',
      { rules: [{ claims: { sub: 'x' }, account: ['123456789012'] }] },
      [`${at} rules[0]: has an unknown field "account"`],
    ],
    [
      'a rule without claims',
      { rules: [{ claims: {} }] },
      [`${at} rules[0].claims: must list 1 to 20 claims (write "sub": "*" to admit every subject)`],
    ],
    [
      'a non-string pattern',
      { rules: [{ claims: { sub: 42 } }] },
      [`${at} rules[0].claims.sub: must be a string pattern or a list of them`],
    ],
    [
      'a bad account id',
      { rules: [{ claims: { sub: 'x' }, accounts: ['12345'] }] },
      [`${at} rules[0].accounts[0]: must be a 12-digit account id`],
    ],
    [
      'operator as a string',
      { rules: [{ claims: { sub: 'x' }, operator: 'yes' }] },
      [`${at} rules[0].operator: must be true or false`],
    ],
  ])('refuses %s with one line naming provider and field', (_why, patch, expected) => {
    expect(problemsOf(patch)).toEqual(expected);
  });

  it.each([
    ['an http issuer', 'http://issuer.example.com'],
    ['an issuer with a query', 'https://issuer.example.com/?secret=s3cr3t'],
    ['a missing issuer', undefined],
  ])('names the provider by position alone for %s, never echoing it', (_why, issuer) => {
    const problems = problemsOf({ issuer });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^provider 1: issuer: /);
    expect(problems[0]).not.toContain('s3cr3t');
  });

  it('refuses a configured issuer twice, non-JSON, a non-list and a prototype key', () => {
    expect(parseOidcProviders(JSON.stringify([good, good])).problems).toEqual([
      `provider 2 (${GH}): issuer: is configured twice`,
    ]);
    expect(parseOidcProviders('[{').problems[0]).toMatch(/not valid JSON/);
    expect(parseOidcProviders('{"issuer":"x"}').problems).toHaveLength(1);
    expect(parseOidcProviders('[{"__proto__":{"audience":"x"}}]').problems[0]).toMatch(/not valid JSON/);
  });

  it('never repeats a pattern or audience value in a problem', () => {
    const secretish = 'do-not-print-me';
    const lines = problemsOf({ audience: 7, rules: [{ claims: { sub: secretish }, accounts: [secretish] }] });
    expect(lines.join('\n')).not.toContain(secretish);
  });
});

describe('parseConfig with OIDC providers', () => {
  it('has none by default, and parses the inline list or the file', () => {
    expect(parseConfig({}).oidcProviders).toEqual([]);
    const json = JSON.stringify([good]);
    expect(parseConfig({ ECR_AUTH_OIDC_PROVIDERS: json }).oidcProviders[0].issuer).toBe(GH);
    const fromFile = parseConfig({ ECR_AUTH_OIDC_PROVIDERS_FILE: '/p.json' }, () => json);
    expect(Object.isFrozen(fromFile.oidcProviders)).toBe(true);
    expect(fromFile.oidcProviders[0].audience).toBe('ecr-auth');
  });

  it.each([
    [
      { ECR_AUTH_OIDC_PROVIDERS: JSON.stringify([{ ...good, jwksUri: 'http://10.0.0.1/jwks' }]) },
      `ECR_AUTH_OIDC_PROVIDERS: provider 1 (${GH}): jwksUri: must be https://, or http:// to a loopback address`,
    ],
    [
      { ECR_AUTH_OIDC_PROVIDERS: '[]', ECR_AUTH_OIDC_PROVIDERS_FILE: '/p.json' },
      'ECR_AUTH_OIDC_PROVIDERS_FILE: must not be set together with ECR_AUTH_OIDC_PROVIDERS',
    ],
    [
      { ECR_AUTH_OIDC_PROVIDERS_FILE: '/missing.json' },
      'ECR_AUTH_OIDC_PROVIDERS_FILE: names a file that cannot be read',
    ],
  ])('stops the start with one line: %o', (env, line) => {
    let error: unknown;
    try {
      parseConfig(env, () => {
        throw new Error('ENOENT');
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([line]);
  });
});
