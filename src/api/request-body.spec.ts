import { EcrAuthError } from '../errors/ecr-auth.error';
import { hasForbiddenKey, parseBody, registryAuthBody } from './request-body';

const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

/** Parses `json` as Fastify would hand it over, then through the schema. */
const parse = (json: string) => parseBody(registryAuthBody, JSON.parse(json));

function refusal(json: string): EcrAuthError {
  let error: unknown;
  try {
    parse(json);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(EcrAuthError);
  expect(error).toMatchObject({ code: 'INVALID_REQUEST', status: 400 });
  return error as EcrAuthError;
}

/** `levels` objects nested in each other: the outermost is the body. */
const nested = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;

describe('forbidden keys', () => {
  it.each([
    ['__proto__ at the top', `{"registry":"${REGISTRY}","__proto__":{"polluted":true}}`],
    ['constructor at the top', `{"registry":"${REGISTRY}","constructor":{"prototype":{}}}`],
    ['prototype at the top', `{"registry":"${REGISTRY}","prototype":1}`],
    ['__proto__ in a nested object', `{"registry":"${REGISTRY}","extra":{"deeper":{"__proto__":{}}}}`],
    ['constructor inside an array', `{"registry":"${REGISTRY}","list":[1,{"constructor":1}]}`],
  ])('%s makes the request invalid', (_why, json) => {
    expect(Object.keys(JSON.parse(json)).length).toBeGreaterThan(1); // JSON.parse keeps __proto__ as an own key
    expect(refusal(json).message).toMatch(/forbidden key/);
  });

  it.each([
    ['a value named __proto__', `{"registry":"__proto__"}`, false],
    ['a key that merely contains the word', `{"my_constructor":1,"proto":2}`, false],
    ['a key deep in arrays', `[[[{"__proto__":1}]]]`, true],
    ['a scalar', '"__proto__"', false],
  ])('hasForbiddenKey: %s → %s', (_why, json, expected) => {
    expect(hasForbiddenKey(JSON.parse(json))).toBe(expected);
  });

  it('does not pollute Object.prototype while checking', () => {
    refusal(`{"registry":"${REGISTRY}","__proto__":{"pollutedQx7":true}}`);
    expect(({} as Record<string, unknown>).pollutedQx7).toBeUndefined();
  });
});

describe('depth bound', () => {
  it('accepts 33 nested objects (depth 32)', () => {
    expect(hasForbiddenKey(JSON.parse(nested(33)))).toBe(false);
  });

  it('refuses 34 nested objects (depth 33), as a forbidden shape', () => {
    expect(hasForbiddenKey(JSON.parse(nested(34)))).toBe(true);
  });

  it('refuses a very deep body without exhausting the stack', () => {
    const deep = nested(10000).replace(/^\{/, `{"registry":"${REGISTRY}",`);
    expect(refusal(deep).message).toMatch(/nested too deeply/);
  });
});

describe('body shape', () => {
  it.each([
    ['an array', '[]'],
    ['an array of objects', `[{"registry":"${REGISTRY}"}]`],
    ['null', 'null'],
    ['a string', '"registry"'],
    ['a number', '42'],
    ['a boolean', 'true'],
  ])('refuses %s: the body must be an object', (_why, json) => {
    expect(refusal(json).message).toBe('The body must be a JSON object.');
  });

  it.each([
    ['registry missing', '{}', 'registry: missing'],
    ['registry not a string', '{"registry":42}', 'registry: expected string'],
    ['roleArn not a string', `{"registry":"${REGISTRY}","roleArn":["x"]}`, 'roleArn: expected string'],
    ['an unknown access', `{"registry":"${REGISTRY}","access":"admin"}`, 'access: must be one of pull, push'],
    ['access in upper case', `{"registry":"${REGISTRY}","access":"PULL"}`, 'access: must be one of pull, push'],
  ])('refuses %s, naming the field', (_why, json, problem) => {
    expect(refusal(json).message).toContain(problem);
  });

  it.each([
    ['registry', 512],
    ['roleArn', 2048],
    ['externalId', 1224],
    ['accessKeyId', 128],
    ['secretAccessKey', 256],
    ['sessionToken', 8192],
    ['userName', 2048],
    ['password', 8192],
  ])('%s may be %i characters and no more, and the value is not echoed', (field, max) => {
    const body = (length: number) => JSON.stringify({ registry: REGISTRY, [field]: `Qx7${'v'.repeat(length - 3)}` });
    expect(() => parse(body(max))).not.toThrow();
    const { message } = refusal(body(max + 1));
    expect(message).toContain(`${field}: at most ${max} characters`);
    expect(message).not.toContain('Qx7');
  });

  it('reports several problems together', () => {
    expect(refusal('{"registry":1,"access":"all","externalId":5}').message).toMatch(
      /registry: .*; .*externalId: .*; .*access: /,
    );
  });
});

describe('accepted bodies', () => {
  it('keeps the known fields and drops unknown ones', () => {
    const body = parse(
      `{"registry":"${REGISTRY}","roleArn":"arn:aws:iam::123456789012:role/r","externalId":"ext","access":"push","color":"blue","nested":{"a":1}}`,
    );
    expect(body).toEqual({
      registry: REGISTRY,
      roleArn: 'arn:aws:iam::123456789012:role/r',
      externalId: 'ext',
      access: 'push',
    });
  });

  it.each(['pull', 'push'])('accepts access %s', (access) => {
    expect(parse(`{"registry":"${REGISTRY}","access":"${access}"}`).access).toBe(access);
  });

  it('accepts the static-key and user-name shapes', () => {
    expect(
      parse('{"registry":"public.ecr.aws","accessKeyId":"AKIA","secretAccessKey":"s","sessionToken":"t"}'),
    ).toMatchObject({ accessKeyId: 'AKIA' });
    expect(parse(`{"registry":"${REGISTRY}","userName":"u","password":""}`)).toMatchObject({
      userName: 'u',
      password: '',
    });
  });
});

describe('sessionTags', () => {
  const withTags = (tags: unknown) => JSON.stringify({ registry: REGISTRY, sessionTags: tags });

  it('accepts tags within STS rules', () => {
    expect(parse(withTags({ pipeline: 'nightly', 'cost center': '', team: 'équipe/a:b=c+d-e@f' })).sessionTags).toEqual(
      {
        pipeline: 'nightly',
        'cost center': '',
        team: 'équipe/a:b=c+d-e@f',
      },
    );
  });

  it.each([
    ['a list', ['pipeline'], 'sessionTags: expected record'],
    ['a string', 'pipeline=nightly', 'sessionTags: expected record'],
    ['null', null, 'sessionTags: expected record'],
    ['a number as a value', { pipeline: 7 }, 'sessionTags: expected string'],
    [
      'an aws: key',
      { 'aws:team': 'x' },
      "sessionTags: each key must be 1-128 letters, digits, spaces and _.:/=+-@, not starting with 'aws:'",
    ],
    [
      'an AWS: key',
      { 'AWS:team': 'x' },
      "sessionTags: each key must be 1-128 letters, digits, spaces and _.:/=+-@, not starting with 'aws:'",
    ],
    [
      'an empty key',
      { '': 'x' },
      "sessionTags: each key must be 1-128 letters, digits, spaces and _.:/=+-@, not starting with 'aws:'",
    ],
    [
      'a 129-character key',
      { ['k'.repeat(129)]: 'x' },
      "sessionTags: each key must be 1-128 letters, digits, spaces and _.:/=+-@, not starting with 'aws:'",
    ],
    [
      'a value with a quote',
      { pipeline: 'Qx7"secret' },
      'sessionTags: each value must be 0-256 letters, digits, spaces and _.:/=+-@',
    ],
    [
      'a 257-character value',
      { pipeline: 'v'.repeat(257) },
      'sessionTags: each value must be 0-256 letters, digits, spaces and _.:/=+-@',
    ],
    [
      'keys differing by case',
      { team: 'a', Team: 'b' },
      'sessionTags: two keys differ only by case (STS compares keys ignoring case)',
    ],
    [
      '51 tags',
      Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
      "sessionTags: at most 50 tags (STS's limit)",
    ],
  ])('refuses %s, naming the field and never the value', (_why, tags, problem) => {
    const { message } = refusal(withTags(tags));
    expect(message).toBe(`Invalid request: ${problem}.`);
    expect(message).not.toMatch(/Qx7|kkkk|vvvv|aws:team/);
  });
});

describe('repositories', () => {
  const withRepos = (repositories: unknown, extra = {}) =>
    JSON.stringify({ registry: REGISTRY, repositories, ...extra });

  it('parses into one sorted list without repeats', () => {
    expect(parse(withRepos(['team/base-*', 'team/app', 'team/app'])).repositories).toEqual(['team/app', 'team/base-*']);
  });

  it.each([
    ['upper case', ['Team/App'], 'repositories (item 1): must be an ECR repository name'],
    ['a trailing slash', ['ok', 'team/'], 'repositories (item 2): must be an ECR repository name'],
    ['an over-long name', ['a'.repeat(257)], 'repositories (item 1): at most 256 characters'],
    ['an empty list', [], 'repositories: at least 1 items'],
    ['101 names', Array.from({ length: 101 }, (_, i) => `r${i}`), 'repositories: at most 100 items'],
    ['not a list', 'team/app', 'repositories: expected array'],
    ['a name that is not a string', [7], 'repositories (item 1): expected string'],
  ])('refuses %s', (_why, repos, problem) => {
    expect(refusal(withRepos(repos)).message).toContain(problem);
  });

  it('refuses a list past the policy budget, saying the bound', () => {
    const names = Array.from({ length: 30 }, (_, i) => `team/service-number-${String(i).padStart(3, '0')}`);
    expect(refusal(withRepos(names)).message).toBe(
      "Invalid request: repositories: the session policy must fit STS's 2048 characters: each repository counts its name's length plus 63, and together at most 1683 (for example 18 names of 30 characters); use a wildcard (team/*) for more.",
    );
  });

  it('accepts 18 names of 30 characters', () => {
    const names = Array.from({ length: 18 }, (_, i) => `team/${'x'.repeat(22)}-${String(i).padStart(2, '0')}`);
    expect(names[0]).toHaveLength(30);
    expect(parse(withRepos(names)).repositories).toHaveLength(18);
  });
});
