import { isLoopback } from '../config/loopback';
import { loadHelperConfig } from './helper-config';
import { FILE, HOME, HOST, load, problemOf, ROLE } from '../../test/fixtures/helper-config-files';

describe('loadHelperConfig', () => {
  it.each([
    [
      'a named file that is missing',
      { ECR_AUTH_CONFIG: '/nope.json' },
      {},
      /\/nope\.json \(ECR_AUTH_CONFIG\) does not exist/,
    ],
    [
      'bad JSON, with the position and without the text',
      {},
      { [FILE]: '{\n  "token": "sekrit-token" x\n}' },
      /config\.json is not valid JSON \(near line 2, column \d+\)$/,
    ],
    ['not an object', {}, { [FILE]: '"x"' }, /must hold a JSON object/],
    [
      'an unknown top-level field',
      {},
      { [FILE]: '{"registry": {}}' },
      /unknown field "registry" \(expected url, token, registries\)/,
    ],
    ['a url that is not a string', {}, { [FILE]: '{"url": 1}' }, /"url" must be a string/],
    ['registries that are not an object', {}, { [FILE]: '{"registries": []}' }, /"registries" must be an object/],
    [
      'a key that is not an object',
      {},
      { [FILE]: JSON.stringify({ registries: { [HOST]: 'arn' } }) },
      /registries\["123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com"\] must be an object/,
    ],
    [
      'a key without a kind',
      {},
      { [FILE]: JSON.stringify({ registries: { [HOST]: { externalId: 'x' } } }) },
      /needs roleArn, accessKeyId or userName/,
    ],
    [
      'a key with a typo',
      {},
      { [FILE]: JSON.stringify({ registries: { [HOST]: { roleArn: ROLE, externalID: 'x' } } }) },
      /unknown field "externalID"/,
    ],
    [
      'a non-string field',
      {},
      { [FILE]: JSON.stringify({ registries: { [HOST]: { roleArn: ROLE, externalId: 7 } } }) },
      /\.externalId must be a string/,
    ],
    [
      'sessionTags that are a list',
      {},
      { [FILE]: JSON.stringify({ registries: { [HOST]: { roleArn: ROLE, sessionTags: ['team'] } } }) },
      /\.sessionTags must be an object of tag key to string value/,
    ],
    [
      'a session tag value that is not a string',
      {},
      { [FILE]: JSON.stringify({ registries: { [HOST]: { roleArn: ROLE, sessionTags: { team: 7 } } } }) },
      /\.sessionTags must be an object of tag key to string value/,
    ],
    [
      'repositories that are a string',
      {},
      { [FILE]: JSON.stringify({ registries: { [HOST]: { roleArn: ROLE, repositories: 'team/app' } } }) },
      /\.repositories must be a list of repository names/,
    ],
    [
      'a repository that is not a string',
      {},
      { [FILE]: JSON.stringify({ registries: { [HOST]: { roleArn: ROLE, repositories: [{ name: 'x' }] } } }) },
      /\.repositories must be a list of repository names/,
    ],
    [
      'an unknown access',
      {},
      { [FILE]: JSON.stringify({ registries: { [HOST]: { roleArn: ROLE, access: 'admin' } } }) },
      /\.access must be "pull" or "push"/,
    ],
    [
      'a host that is not ECR',
      {},
      { [FILE]: JSON.stringify({ registries: { 'docker.io': { roleArn: ROLE } } }) },
      /registries\["docker\.io"\] is not an Amazon ECR registry host/,
    ],
    [
      'a malformed pattern',
      {},
      { [FILE]: JSON.stringify({ registries: { '1*.dkr.ecr.eu-west-1.amazonaws.com': { roleArn: ROLE } } }) },
      /must stand alone/,
    ],
    [
      'a host listed twice after normalisation',
      {},
      {
        [FILE]: JSON.stringify({ registries: { [HOST]: { roleArn: ROLE }, [HOST.toUpperCase()]: { roleArn: ROLE } } }),
      },
      /listed twice/,
    ],
    [
      'a prototype key',
      {},
      { [FILE]: '{"registries": {"__proto__": {"roleArn": "x"}}}' },
      /registries\["__proto__"\] is not an Amazon ECR/,
    ],
    ['a URL that is not one', { ECR_AUTH_URL: 'ecr-auth' }, {}, /ECR_AUTH_URL is not a URL/],
    ['another scheme', { ECR_AUTH_URL: 'ftp://x' }, {}, /ECR_AUTH_URL must be an https:\/\/ URL/],
    ['user information in the URL', { ECR_AUTH_URL: 'https://u:p@x' }, {}, /must not carry user information/],
    [
      'plain HTTP off loopback',
      { ECR_AUTH_URL: 'http://10.1.2.3:8080' },
      {},
      /plain http:\/\/ to 10\.1\.2\.3.*ECR_AUTH_ALLOW_INSECURE=true/,
    ],
    ['plain HTTP in the file', {}, { [FILE]: '{"url": "http://ecr-auth.internal"}' }, /"url" uses plain http:\/\//],
    ['a bad insecure flag', { ECR_AUTH_ALLOW_INSECURE: 'maybe' }, {}, /ECR_AUTH_ALLOW_INSECURE: must be true or false/],
    [
      'a bad timeout',
      { ECR_AUTH_TIMEOUT_MS: '10s' },
      {},
      /ECR_AUTH_TIMEOUT_MS: must be a whole number from 1 to 300000/,
    ],
    [
      'an external ID without a role',
      { ECR_AUTH_EXTERNAL_ID: 'x' },
      {},
      /ECR_AUTH_EXTERNAL_ID is set without ECR_AUTH_ROLE_ARN/,
    ],
    [
      'both ECR_AUTH_TOKEN and ECR_AUTH_TOKEN_FILE',
      { ECR_AUTH_TOKEN: 't', ECR_AUTH_TOKEN_FILE: '/t' },
      { '/t': 't' },
      /ECR_AUTH_TOKEN and ECR_AUTH_TOKEN_FILE are both set: set one/,
    ],
    [
      'a missing ECR_AUTH_TOKEN_FILE',
      { ECR_AUTH_TOKEN_FILE: '/run/none' },
      {},
      /\/run\/none \(ECR_AUTH_TOKEN_FILE\) does not exist/,
    ],
    [
      'an empty ECR_AUTH_TOKEN_FILE',
      { ECR_AUTH_TOKEN_FILE: '/t' },
      { '/t': ' \n' },
      /\/t \(ECR_AUTH_TOKEN_FILE\) is empty/,
    ],
    [
      'an ECR_AUTH_TOKEN_FILE of two lines',
      { ECR_AUTH_TOKEN_FILE: '/t' },
      { '/t': 'sekrit-one\nsekrit-two\n' },
      /^[^k]*\/t \(ECR_AUTH_TOKEN_FILE\) must hold the token alone, on one line$/,
    ],
  ])('refuses %s', async (_why, env, content, expected) => {
    expect(await problemOf(env, content)).toMatch(expected);
  });

  it('reports every problem at once and names the file, never a value', async () => {
    const message = await problemOf(
      { ECR_AUTH_TIMEOUT_MS: '0', ECR_AUTH_URL: 'http://evil.example' },
      {
        [FILE]: JSON.stringify({ token: 'sekrit', registries: { [HOST]: { roleArn: ROLE, externalId: 99 } } }),
      },
    );
    expect(message).toMatch(/^configuration problems \(\/home\/u\/\.ecr-auth\/config\.json\): /);
    expect(message.split('; ')).toHaveLength(3);
    expect(message).not.toContain('sekrit');
  });

  it('names an unreadable file with its error code', async () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const e = await loadHelperConfig({}, HOME, () => Promise.reject(denied)).catch((err: Error) => err);
    expect((e as Error).message).toMatch(/cannot read \/home\/u\/\.ecr-auth\/config\.json \(EACCES\)/);
  });

  it.each([
    ['http://127.0.0.1:8080', true],
    ['http://127.9.8.7', true],
    ['http://localhost:1', true],
    ['http://[::1]:80', true],
    ['http://128.0.0.1', false],
    ['http://localhost.evil.example', false],
    ['http://[::2]', false],
    ['http://127.0.0.1.nip.io', false],
  ])('treats %s as loopback: %s', async (url, loopback) => {
    expect(isLoopback(new URL(url).hostname)).toBe(loopback);
    const result = await load({ ECR_AUTH_URL: url }).then(
      () => 'ok',
      () => 'refused',
    );
    expect(result).toBe(loopback ? 'ok' : 'refused');
  });

  it('accepts plain HTTP anywhere with ECR_AUTH_ALLOW_INSECURE=true', async () => {
    expect(
      (await load({ ECR_AUTH_URL: 'http://ecr-auth.internal', ECR_AUTH_ALLOW_INSECURE: 'true' })).endpoint?.href,
    ).toBe('http://ecr-auth.internal/registry-auth');
  });
});
