import { fingerprint, parseApiTokens } from './api-tokens';
import { ConfigError, parseConfig } from './parse-config';

const A = 'tok-aaaaaaaaaaaaaaaa';
const B = 'tok-bbbbbbbbbbbbbbbb';
const C = 'tok-cccccccccccccccc';

const tokensOf = (text: string) => parseApiTokens(text).tokens.map((t) => t.token);

describe('parseApiTokens lists', () => {
  it.each([
    ['one token', A, [A]],
    ['comma-separated', `${A},${B}`, [A, B]],
    ['newline-separated', `${A}\n${B}\n${C}\n`, [A, B, C]],
    ['CRLF-separated', `${A}\r\n${B}\r\n`, [A, B]],
    ['mixed, with blanks and spaces', ` ${A} ,,\n\n ${B}\n,${C} `, [A, B, C]],
    ['comment lines skipped', `# rotated 2026-01\n${A}\n#${B}\n${C}`, [A, C]],
    ['empty text', '', []],
  ])('reads %s', (_why, text, expected) => {
    expect(parseApiTokens(text)).toEqual({ tokens: expect.any(Array), problems: [] });
    expect(tokensOf(text)).toEqual(expected);
  });
});

describe('parseApiTokens account bindings', () => {
  it('binds a token to the accounts after =, separated by |', () => {
    const [token] = parseApiTokens(`${A}=111111111111|222222222222`).tokens;
    expect(token.token).toBe(A);
    expect([...token.accounts!]).toEqual(['111111111111', '222222222222']);
  });

  it('leaves an unbound token without accounts (any account)', () => {
    expect(parseApiTokens(A).tokens[0].accounts).toBeUndefined();
  });

  it.each([
    ['one = of base64 padding', 'dG9rZW4tdG9rZW4tdG9rZW4tdG9r='],
    ['two = of base64 padding', 'dG9rZW4tdG9rZW4tdG9rZW4tdG8=='],
    ['an = inside the token', 'key=value-not-an-account'],
  ])('does not mistake %s for a binding', (_why, token) => {
    expect(parseApiTokens(token)).toEqual({
      tokens: [expect.objectContaining({ token, accounts: undefined })],
      problems: [],
    });
  });

  it('binds a padded base64 token: the last = separates the accounts', () => {
    const [token] = parseApiTokens('dG9rZW4tdG9rZW4tdG8==111111111111').tokens;
    expect(token.token).toBe('dG9rZW4tdG9rZW4tdG8=');
    expect([...token.accounts!]).toEqual(['111111111111']);
  });

  it('ignores an empty account between separators', () => {
    expect([...parseApiTokens(`${A}=111111111111||222222222222|`).tokens[0].accounts!]).toEqual([
      '111111111111',
      '222222222222',
    ]);
  });

  it.each([
    ['a short account', `${A}=12345`],
    ['a 13-digit account', `${A}=1111111111111`],
    ['only separators', `${A}=||`],
  ])('refuses a binding with %s', (_why, entry) => {
    expect(parseApiTokens(entry)).toEqual({
      tokens: [],
      problems: ['entry 1 binds accounts that are not 12-digit account ids'],
    });
  });
});

describe('parseApiTokens problems', () => {
  it.each([
    ['15 characters, one too few', 'Qx7-fifteen-chr'],
    ['513 characters, one too many', `Qx7${'x'.repeat(510)}`],
    ['an inner space', 'Qx7 token with a space'],
    ['a non-ASCII character', 'Qx7-t\u00f6ken-with-umlaut'],
    ['a control character', 'Qx7-token\u0007with-bell'],
  ])('refuses a token of %s, without echoing it', (_why, entry) => {
    const { tokens, problems } = parseApiTokens(`${A},${entry}`);
    expect(tokens.map((t) => t.token)).toEqual([A]);
    expect(problems).toEqual(['entry 2 must be 16-512 printable characters without spaces']);
    expect(problems.join()).not.toContain('Qx7');
  });

  it('accepts 16 and 512 characters', () => {
    expect(tokensOf(`${'a'.repeat(16)},${'b'.repeat(512)}`)).toHaveLength(2);
  });

  it('reports every bad entry by its position', () => {
    expect(parseApiTokens(`short1\n${A}\nshort2=1`).problems).toEqual([
      'entry 1 must be 16-512 printable characters without spaces',
      'entry 3 must be 16-512 printable characters without spaces',
    ]);
  });
});

describe('parsed tokens', () => {
  const [token] = parseApiTokens(`${A}=111111111111`).tokens;

  it('are frozen', () => expect(Object.isFrozen(token)).toBe(true));

  it('carry a 12-hex fingerprint that is not the token', () => {
    expect(token.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(token.fingerprint).toBe(fingerprint(A));
    expect(A).not.toContain(token.fingerprint);
  });

  it('fingerprints differ between tokens', () => {
    expect(fingerprint(A)).not.toBe(fingerprint(B));
  });
});

function configError(env: Record<string, string>, readFile?: (path: string) => string): ConfigError {
  try {
    parseConfig(env, readFile);
  } catch (e) {
    if (e instanceof ConfigError) return e;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig API tokens', () => {
  it('reads inline tokens, bound ones included, and the tokens file through the injected reader', () => {
    const reads: string[] = [];
    const config = parseConfig(
      { ECR_AUTH_API_TOKENS: `${A}=111111111111|222222222222`, ECR_AUTH_API_TOKENS_FILE: '/run/secrets/tokens' },
      (path) => (reads.push(path), `${B}\n${C}==\n`),
    );
    expect(reads).toEqual(['/run/secrets/tokens']);
    expect(config.apiTokensFile).toBe('/run/secrets/tokens');
    expect(config.apiTokens.map((t) => [t.token, t.accounts && [...t.accounts]])).toEqual([
      [A, ['111111111111', '222222222222']],
      [B, undefined],
      [`${C}==`, undefined],
    ]);
  });

  it.each([
    [
      'the reader throws',
      (): string => {
        throw new Error('ENOENT /run/secrets/tokens');
      },
    ],
    ['no reader is injected', undefined],
  ])('reports an unreadable tokens file when %s', (_why, reader) => {
    const error = configError({ ECR_AUTH_API_TOKENS_FILE: '/run/secrets/tokens' }, reader);
    expect(error.problems).toEqual(['ECR_AUTH_API_TOKENS_FILE: names a file that cannot be read']);
  });

  it('reports a bad entry in the file under the file variable, without the entry', () => {
    const error = configError({ ECR_AUTH_API_TOKENS_FILE: '/t' }, () => `${A}\nshort-Qx7`);
    expect(error.problems).toEqual([expect.stringMatching(/^ECR_AUTH_API_TOKENS_FILE: entry 2 /)]);
    expect(error.message).not.toContain('short-Qx7');
  });
});

describe('parseApiTokens names', () => {
  it.each([
    ['a named token', `ci-nightly ${A}`, { token: A, name: 'ci-nightly', accounts: undefined }],
    ['a named, bound token', `team.a@acme ${A}=111111111111`, { token: A, name: 'team.a@acme' }],
    ['a tab and several spaces after the name', `build_1 \t  ${A}`, { token: A, name: 'build_1' }],
    [
      'a token holding : and = (no space: no name)',
      'ci:tok=en-aaaaaaaaaaaaaa',
      { token: 'ci:tok=en-aaaaaaaaaaaaaa', name: undefined },
    ],
    ['an unnamed token', A, { token: A, name: undefined }],
  ])('reads %s', (_why, entry, expected) => {
    expect(parseApiTokens(entry)).toEqual({ tokens: [expect.objectContaining(expected)], problems: [] });
  });

  it('keeps the fingerprint of the token alone: naming a token does not change how logs know it', () => {
    expect(parseApiTokens(`ci ${A}`).tokens[0].fingerprint).toBe(fingerprint(A));
  });

  it.each([
    ['a name with a character outside [A-Za-z0-9_.@-]', `ci/nightly ${A}`],
    ['a name of 65 characters', `${'n'.repeat(65)} ${A}`],
  ])('refuses %s, without echoing the entry', (_why, entry) => {
    const { tokens, problems } = parseApiTokens(entry);
    expect(tokens).toEqual([]);
    expect(problems).toEqual([
      'entry 1 has a name that is not 1-64 letters, digits and _.@- (then a space, then the token)',
    ]);
  });

  it('refuses a named entry whose token is malformed', () => {
    expect(parseApiTokens('ci short').problems).toEqual(['entry 1 must be 16-512 printable characters without spaces']);
  });
});
