import { handle, HelperDeps, NOT_FOUND } from './credential-helper.handler';
import { PostRequest, PostResponse, ServiceUnreachableError } from './service-client';
import { CachedToken, cacheKeyOf } from './token-file-cache';

const NOW = Date.parse('2026-11-25T12:00:00.000Z');
const HOST = '222222222222.dkr.ecr.eu-west-1.amazonaws.com';
const ROLE = 'arn:aws:iam::222222222222:role/ecr-pull';
const EXT = 'customer-ext-id-91c2';
const TOKEN = 'api-token-0123456789';
const URL_ = 'https://ecr-auth.internal';
const ENDPOINT = 'https://ecr-auth.internal/registry-auth';
const BASE_ENV = {
  HOME: '/home/u',
  ECR_AUTH_URL: URL_,
  ECR_AUTH_TOKEN: TOKEN,
  ECR_AUTH_ROLE_ARN: ROLE,
  ECR_AUTH_EXTERNAL_ID: EXT,
};
const KEY_OF_ENV = cacheKeyOf(ENDPOINT, HOST, { roleArn: ROLE, externalId: EXT }, TOKEN);
const MIN = 60_000;

const ok = (password = 'fresh-secret', expiresAt = NOW + 60 * MIN): PostResponse => ({
  status: 200,
  text: JSON.stringify({ registry: HOST, username: 'AWS', password, expiresAt: new Date(expiresAt).toISOString() }),
});
const refusal = (status: number, code: string, message: string): PostResponse => ({
  status,
  text: JSON.stringify({ statusCode: status, code, message, requestId: 'req-1' }),
});
const unreachable = new ServiceUnreachableError(
  'cannot reach the service at https://ecr-auth.internal: connection refused (ECONNREFUSED)',
);
const cachedWith = (leftMs: number, password = 'cached-secret'): Record<string, CachedToken> => ({
  [KEY_OF_ENV]: { password, expiresAtMs: NOW + leftMs },
});

interface Case {
  name: string;
  verb?: string;
  input?: string;
  env?: Record<string, string | undefined>;
  files?: Record<string, string>;
  cache?: Record<string, CachedToken>;
  answers?: (PostResponse | Error)[];
  stdout: string | RegExp;
  exitCode: 0 | 1;
  /** Whether the cache holds this password for KEY_OF_ENV afterwards. */
  cachedAfter?: string;
  check?: (calls: PostRequest[]) => void;
}

/** Strict fakes: a post without a scripted answer, or a scripted answer left over, fails the case. */
function fakes(c: Case) {
  const answers = [...(c.answers ?? [])];
  const calls: PostRequest[] = [];
  const unscripted: PostRequest[] = [];
  const cache = new Map(Object.entries(c.cache ?? {}));
  const fileReads: string[] = [];
  const deps: HelperDeps = {
    env: c.env ?? BASE_ENV,
    home: '/home/u',
    readTextFile: async (path) => {
      fileReads.push(path);
      return c.files?.[path];
    },
    cache: { read: async (k) => cache.get(k), write: async (k, t) => void cache.set(k, t) },
    post: async (req) => {
      const answer = answers.shift();
      if (!answer) {
        unscripted.push(req);
        throw new Error('unscripted post');
      }
      calls.push(req);
      if (answer instanceof Error) throw answer;
      return answer;
    },
    now: () => NOW,
    version: () => '9.9.9',
  };
  return { deps, calls, unscripted, answers, cache, fileReads };
}

const CONFIG = '/home/u/.ecr-auth/config.json';

const cases: Case[] = [
  { name: 'get: a host that is not ECR is not found', input: 'docker.io\n', stdout: `${NOT_FOUND}\n`, exitCode: 1 },
  {
    name: 'get: an ECR look-alike is not found',
    input: '222222222222.dkr.ecr.eu-west-1.amazonaws.com.evil.example',
    stdout: `${NOT_FOUND}\n`,
    exitCode: 1,
  },
  {
    name: 'get: an ECR host without any key is not found',
    input: HOST,
    env: { HOME: '/home/u', ECR_AUTH_URL: URL_ },
    stdout: `${NOT_FOUND}\n`,
    exitCode: 1,
  },
  { name: 'get: empty stdin is an error', input: '\n', stdout: 'ecr-auth: no server URL on stdin\n', exitCode: 1 },
  {
    name: 'get: the default key from the environment, asked of the service',
    input: `${HOST}\n`,
    answers: [ok()],
    exitCode: 0,
    cachedAfter: 'fresh-secret',
    stdout: `{"ServerURL":"${HOST}","Username":"AWS","Secret":"fresh-secret"}\n`,
    check: ([call]) => {
      expect(call.url.href).toBe(ENDPOINT);
      expect(call.token).toBe(TOKEN);
      expect(call.timeoutMs).toBe(10_000);
      expect(JSON.parse(call.body)).toEqual({ registry: HOST, roleArn: ROLE, externalId: EXT });
    },
  },
  {
    name: 'get: a URL form keeps ServerURL as given and sends the normalised host',
    input: `https://${HOST.toUpperCase()}/v2/`,
    answers: [ok()],
    exitCode: 0,
    stdout: `{"ServerURL":"https://${HOST.toUpperCase()}/v2/","Username":"AWS","Secret":"fresh-secret"}\n`,
    check: ([call]) => expect(JSON.parse(call.body).registry).toBe(HOST),
  },
  {
    name: 'get: a fresh cached token makes no call',
    input: HOST,
    cache: cachedWith(30 * MIN),
    exitCode: 0,
    stdout: /"Secret":"cached-secret"/,
  },
  {
    name: 'get: within the refresh buffer the service is asked',
    input: HOST,
    cache: cachedWith(4 * MIN),
    answers: [ok()],
    exitCode: 0,
    stdout: /"Secret":"fresh-secret"/,
    cachedAfter: 'fresh-secret',
  },
  {
    name: 'get: service unreachable, cached token still valid > 60 s: served',
    input: HOST,
    cache: cachedWith(4 * MIN),
    answers: [unreachable],
    exitCode: 0,
    stdout: /"Secret":"cached-secret"/,
  },
  {
    name: 'get: service 503, cached token still valid: served',
    input: HOST,
    cache: cachedWith(2 * MIN),
    answers: [refusal(503, 'UPSTREAM_UNAVAILABLE', 'STS is failing.')],
    exitCode: 0,
    stdout: /"Secret":"cached-secret"/,
  },
  {
    name: 'get: service 429, cached token still valid: served',
    input: HOST,
    cache: cachedWith(2 * MIN),
    answers: [refusal(429, 'RATE_LIMITED', 'Slow down.')],
    exitCode: 0,
    stdout: /"Secret":"cached-secret"/,
  },
  {
    name: 'get: service unreachable, cached token with 30 s left: never served',
    input: HOST,
    cache: cachedWith(30_000),
    answers: [unreachable],
    exitCode: 1,
    stdout: `ecr-auth: ${unreachable.message}\n`,
  },
  {
    name: 'get: service unreachable, cached token expired: never served',
    input: HOST,
    cache: cachedWith(-MIN),
    answers: [unreachable],
    exitCode: 1,
    stdout: /connection refused \(ECONNREFUSED\)/,
  },
  {
    name: 'get: service unreachable, nothing cached: the reason',
    input: HOST,
    answers: [unreachable],
    exitCode: 1,
    stdout: `ecr-auth: ${unreachable.message}\n`,
  },
  {
    name: 'get: a refusal (4xx) fails loudly even with a valid cached token',
    input: HOST,
    cache: cachedWith(4 * MIN),
    answers: [refusal(403, 'ASSUME_ROLE_DENIED', 'STS refused to assume the role.')],
    exitCode: 1,
    stdout: 'ecr-auth: ASSUME_ROLE_DENIED: STS refused to assume the role. (request id req-1)\n',
  },
  {
    name: 'get: 503 with nothing cached: the code and message',
    input: HOST,
    answers: [refusal(503, 'UPSTREAM_UNAVAILABLE', 'STS is failing.')],
    exitCode: 1,
    stdout: /^ecr-auth: UPSTREAM_UNAVAILABLE: STS is failing\./,
  },
  {
    name: 'get: a non-JSON 502: the status',
    input: HOST,
    answers: [{ status: 502, text: '<html>bad gateway</html>' }],
    exitCode: 1,
    stdout: 'ecr-auth: the service answered HTTP 502 without an error code\n',
  },
  {
    name: 'get: a 200 without a password is a failure',
    input: HOST,
    answers: [{ status: 200, text: '{"username":"AWS"}' }],
    exitCode: 1,
    stdout: /without a usable password/,
  },
  {
    name: 'get: a 200 with an expired token is a failure',
    input: HOST,
    answers: [ok('x', NOW - 1)],
    exitCode: 1,
    stdout: /without a usable password/,
  },
  {
    name: 'get: a token too short-lived to cache is served, not cached',
    input: HOST,
    answers: [ok('short', NOW + 2 * MIN)],
    exitCode: 0,
    stdout: /"Secret":"short"/,
    cachedAfter: undefined,
  },
  {
    name: 'get: a secret echoed by the service is redacted, control characters flattened',
    input: HOST,
    answers: [refusal(400, 'INVALID_REGISTRY_KEY', `bad ${EXT} and ${TOKEN}\nline2`)],
    exitCode: 1,
    stdout: 'ecr-auth: INVALID_REGISTRY_KEY: bad [redacted] and [redacted] line2 (request id req-1)\n',
  },
  {
    name: 'get: a key but no service URL',
    input: HOST,
    env: { HOME: '/home/u', ECR_AUTH_ROLE_ARN: ROLE },
    exitCode: 1,
    stdout: `ecr-auth: no service URL for ${HOST}: set ECR_AUTH_URL or "url" in ${CONFIG}\n`,
  },
  {
    name: 'get: the config file: exact host beats a pattern and the env default',
    input: HOST,
    answers: [ok()],
    exitCode: 0,
    stdout: /"Secret":"fresh-secret"/,
    files: {
      [CONFIG]: JSON.stringify({
        registries: {
          [HOST]: { roleArn: 'arn:aws:iam::222222222222:role/exact', externalId: 'e1' },
          '*.dkr.ecr.eu-west-1.amazonaws.com': { roleArn: 'arn:aws:iam::222222222222:role/pattern' },
        },
      }),
    },
    check: ([call]) =>
      expect(JSON.parse(call.body)).toEqual({
        registry: HOST,
        roleArn: 'arn:aws:iam::222222222222:role/exact',
        externalId: 'e1',
      }),
  },
  {
    name: 'get: the config file: a pattern with access, url and token from the file',
    input: HOST,
    env: { HOME: '/home/u' },
    answers: [ok()],
    exitCode: 0,
    stdout: /"Secret":"fresh-secret"/,
    files: {
      [CONFIG]: JSON.stringify({
        url: 'https://svc.example/base/',
        token: 'file-token',
        registries: { '*.dkr.ecr.eu-west-1.amazonaws.com': { roleArn: ROLE, externalId: 'e2', access: 'pull' } },
      }),
    },
    check: ([call]) => {
      expect(call.url.href).toBe('https://svc.example/base/registry-auth');
      expect(call.token).toBe('file-token');
      expect(JSON.parse(call.body)).toEqual({ registry: HOST, roleArn: ROLE, externalId: 'e2', access: 'pull' });
    },
  },
  {
    name: 'get: the config file: sessionTags and repositories go to the service as they are',
    input: HOST,
    answers: [ok()],
    exitCode: 0,
    stdout: /"Secret":"fresh-secret"/,
    files: {
      [CONFIG]: JSON.stringify({
        registries: {
          [HOST]: {
            roleArn: ROLE,
            externalId: EXT,
            access: 'push',
            sessionTags: { team: 'web', pipeline: 'nightly' },
            repositories: ['team/app', 'team/base-*'],
          },
        },
      }),
    },
    check: ([call]) =>
      expect(JSON.parse(call.body)).toEqual({
        registry: HOST,
        roleArn: ROLE,
        externalId: EXT,
        access: 'push',
        sessionTags: { team: 'web', pipeline: 'nightly' },
        repositories: ['team/app', 'team/base-*'],
      }),
  },
  {
    name: "get: tags the service refuses: its 400 and message, the build fails (they are the service's to judge)",
    input: HOST,
    answers: [
      refusal(
        400,
        'INVALID_REQUEST',
        'sessionTags: only the keys pipeline, team are allowed (ECR_AUTH_SESSION_TAG_KEYS).',
      ),
    ],
    exitCode: 1,
    stdout:
      'ecr-auth: INVALID_REQUEST: sessionTags: only the keys pipeline, team are allowed (ECR_AUTH_SESSION_TAG_KEYS). (request id req-1)\n',
    files: {
      [CONFIG]: JSON.stringify({ registries: { [HOST]: { roleArn: ROLE, sessionTags: { owner: 'x' } } } }),
    },
    check: ([call]) => expect(JSON.parse(call.body).sessionTags).toEqual({ owner: 'x' }),
  },
  {
    name: 'get: a token cached for other tags is not served: other tags are another session',
    input: HOST,
    // Cached for the same role and external ID without tags.
    cache: cachedWith(30 * MIN),
    answers: [ok()],
    exitCode: 0,
    stdout: /"Secret":"fresh-secret"/,
    files: {
      [CONFIG]: JSON.stringify({
        registries: { [HOST]: { roleArn: ROLE, externalId: EXT, sessionTags: { team: 'web' } } },
      }),
    },
  },
  {
    name: 'get: a malformed config file is named',
    input: HOST,
    files: { [CONFIG]: '{"url": ' },
    exitCode: 1,
    stdout: new RegExp(`^ecr-auth: configuration problem \\(${CONFIG}\\): ${CONFIG} is not valid JSON`),
  },
  {
    name: 'get: a malformed config file does not matter for a non-ECR host',
    input: 'ghcr.io',
    files: { [CONFIG]: '{' },
    exitCode: 1,
    stdout: `${NOT_FOUND}\n`,
  },
  {
    name: 'get: a plain-HTTP service URL off loopback is refused',
    input: HOST,
    env: { ...BASE_ENV, ECR_AUTH_URL: 'http://ecr-auth.internal' },
    exitCode: 1,
    stdout: /plain http:\/\/ to ecr-auth\.internal.*ECR_AUTH_ALLOW_INSECURE=true/,
  },
  {
    name: 'get: plain HTTP is allowed when insecure is allowed',
    input: HOST,
    env: { ...BASE_ENV, ECR_AUTH_URL: 'http://ecr-auth.internal', ECR_AUTH_ALLOW_INSECURE: 'true' },
    answers: [ok()],
    exitCode: 0,
    stdout: /"Secret":"fresh-secret"/,
  },
  {
    name: 'list: exact hosts of the file, normalised',
    verb: 'list',
    files: {
      [CONFIG]: JSON.stringify({
        registries: {
          [`https://${HOST.toUpperCase()}/`]: { roleArn: ROLE },
          '*.dkr.ecr.us-east-1.amazonaws.com': { roleArn: ROLE },
          'public.ecr.aws': { roleArn: ROLE },
        },
      }),
    },
    exitCode: 0,
    stdout: `{"${HOST}":"AWS","public.ecr.aws":"AWS"}\n`,
  },
  { name: 'list: no config file is an empty object', verb: 'list', exitCode: 0, stdout: '{}\n' },
  {
    name: 'list: a malformed config file is named',
    verb: 'list',
    files: { [CONFIG]: '[]' },
    exitCode: 1,
    stdout: new RegExp(`${CONFIG} must hold a JSON object`),
  },
  {
    name: 'store: not implemented',
    verb: 'store',
    input: `{"ServerURL":"${HOST}","Username":"AWS","Secret":"s3cr3t"}`,
    exitCode: 1,
    stdout: 'not implemented\n',
  },
  { name: 'erase: not implemented', verb: 'erase', input: HOST, exitCode: 1, stdout: 'not implemented\n' },
  { name: 'version: the package version', verb: 'version', exitCode: 0, stdout: 'docker-credential-ecr-auth 9.9.9\n' },
  {
    name: 'an unknown verb: the usage',
    verb: 'gett',
    exitCode: 1,
    stdout: /^Usage: docker-credential-ecr-auth <get\|list\|store\|erase\|version>\n$/,
  },
];

describe('handle(verb, input, deps)', () => {
  it.each(cases)('$name', async (c) => {
    const f = fakes(c);
    const result = await handle(c.verb === undefined ? 'get' : c.verb, c.input ?? '', f.deps);
    if (typeof c.stdout === 'string') expect(result.stdout).toBe(c.stdout);
    else expect(result.stdout).toMatch(c.stdout);
    expect(result.exitCode).toBe(c.exitCode);
    expect(f.unscripted).toEqual([]);
    expect(f.answers).toEqual([]);
    if ('cachedAfter' in c) expect(f.cache.get(KEY_OF_ENV)?.password).toBe(c.cachedAfter);
    c.check?.(f.calls);
    // stdout never carries the API token or an external ID, whatever the case.
    for (const secret of [TOKEN, EXT, 'file-token']) expect(result.stdout).not.toContain(secret);
  });

  it('does not read the config file for a host that is not ECR', async () => {
    const f = fakes({ name: '', stdout: '', exitCode: 1 });
    await handle('get', 'docker.io', f.deps);
    expect(f.fileReads).toEqual([]);
  });

  it('answers the usage when no verb is given', async () => {
    const f = fakes({ name: '', stdout: '', exitCode: 1 });
    expect(await handle(undefined, '', f.deps)).toEqual({ stdout: expect.stringMatching(/^Usage:/), exitCode: 1 });
  });

  it('keeps a cache entry per external ID: a rotated ID is a miss', async () => {
    const f = fakes({
      name: '',
      stdout: '',
      exitCode: 0,
      cache: cachedWith(30 * MIN),
      answers: [ok('rotated')],
      env: { ...BASE_ENV, ECR_AUTH_EXTERNAL_ID: 'rotated-ext-id' },
    });
    expect((await handle('get', HOST, f.deps)).stdout).toMatch(/"Secret":"rotated"/);
  });

  it('survives a cache that fails to read or write', async () => {
    const f = fakes({ name: '', stdout: '', exitCode: 0, answers: [ok()] });
    const deps: HelperDeps = {
      ...f.deps,
      cache: { read: () => Promise.reject(new Error('EIO')), write: () => Promise.reject(new Error('EROFS')) },
    };
    expect(await handle('get', HOST, deps)).toMatchObject({ exitCode: 0 });
  });
});
