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
    ['registry missing', '{}', 'registry: expected string'],
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
