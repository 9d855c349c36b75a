import { handle, type HelperDeps, NOT_FOUND } from './credential-helper.handler';
import {
  BASE_ENV,
  cachedWith,
  type Case,
  CONFIG,
  ENDPOINT,
  expectCase,
  EXT,
  fakes,
  HOST,
  MIN,
  NOW,
  ok,
  refusal,
  ROLE,
  TOKEN,
  unreachable,
  URL_,
} from '../../test/fixtures/credential-helper-cases';

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
];

describe('handle(verb, input, deps)', () => {
  it.each(cases)('$name', (c) => expectCase(c));

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
