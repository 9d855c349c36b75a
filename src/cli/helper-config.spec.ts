import { configFileOf, keyFor } from './helper-config';
import { FILE, HOME, HOST, load, ROLE } from '../../test/fixtures/helper-config-files';

describe('loadHelperConfig', () => {
  it("reads the contract's example file", async () => {
    const config = await load(
      {},
      {
        [FILE]: JSON.stringify({
          url: 'https://ecr-auth.internal',
          registries: {
            [HOST]: { roleArn: ROLE, externalId: 'ext-1' },
            '*.dkr.ecr.us-east-1.amazonaws.com': {
              roleArn: 'arn:aws:iam::210987654321:role/ecr-pull',
              externalId: 'ext-2',
              access: 'pull',
            },
          },
        }),
      },
    );
    expect(config.endpoint?.href).toBe('https://ecr-auth.internal/registry-auth');
    expect(config.timeoutMs).toBe(10_000);
    expect(keyFor(config, HOST)).toEqual({ roleArn: ROLE, externalId: 'ext-1' });
    expect(keyFor(config, '210987654321.dkr.ecr.us-east-1.amazonaws.com')).toMatchObject({
      externalId: 'ext-2',
      access: 'pull',
    });
    expect(keyFor(config, '210987654321.dkr.ecr.us-west-2.amazonaws.com')).toBeUndefined();
  });

  it('takes every key shape of POST /registry-auth', async () => {
    const config = await load(
      {},
      {
        [FILE]: JSON.stringify({
          registries: {
            'public.ecr.aws': { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 's', sessionToken: 't' },
            [HOST]: { userName: ROLE, password: 'ext' },
          },
        }),
      },
    );
    expect([...config.exact.keys()]).toEqual(['public.ecr.aws', HOST]);
  });

  it('takes sessionTags and repositories, checked for shape only (the service judges the rest)', async () => {
    const key = { roleArn: ROLE, sessionTags: { team: 'web', 'Any Key?': '' }, repositories: ['Not/A Valid*Name'] };
    const config = await load({}, { [FILE]: JSON.stringify({ registries: { [HOST]: key } }) });
    expect(keyFor(config, HOST)).toEqual(key);
    expect(Object.isFrozen(keyFor(config, HOST)?.sessionTags)).toBe(true);
    expect(Object.isFrozen(keyFor(config, HOST)?.repositories)).toBe(true);
  });

  it('is empty without a file at the default path, and uses the environment', async () => {
    const config = await load({
      ECR_AUTH_URL: 'https://svc',
      ECR_AUTH_TOKEN: 't',
      ECR_AUTH_ROLE_ARN: ROLE,
      ECR_AUTH_EXTERNAL_ID: 'x',
      ECR_AUTH_TIMEOUT_MS: '2500',
    });
    expect(config).toMatchObject({
      file: FILE,
      token: 't',
      timeoutMs: 2500,
      defaultKey: { roleArn: ROLE, externalId: 'x' },
    });
    expect(config.exact.size).toBe(0);
    expect(keyFor(config, HOST)).toEqual({ roleArn: ROLE, externalId: 'x' });
  });

  it('lets the environment win over the file for url and token, and a key of the file win over the default', async () => {
    const config = await load(
      { ECR_AUTH_URL: 'https://env', ECR_AUTH_TOKEN: 'env-token', ECR_AUTH_ROLE_ARN: 'arn:aws:iam::1:role/default' },
      {
        [FILE]: JSON.stringify({ url: 'https://file', token: 'file-token', registries: { [HOST]: { roleArn: ROLE } } }),
      },
    );
    expect(config.endpoint?.host).toBe('env');
    expect(config.token).toBe('env-token');
    expect(keyFor(config, HOST)).toEqual({ roleArn: ROLE });
  });

  it("reads the API token from ECR_AUTH_TOKEN_FILE, trimmed, over the file's token", async () => {
    const config = await load(
      { ECR_AUTH_TOKEN_FILE: '/run/secrets/ecr-auth-token' },
      { '/run/secrets/ecr-auth-token': 'mounted-token\n', [FILE]: JSON.stringify({ token: 'file-token' }) },
    );
    expect(config.token).toBe('mounted-token');
  });

  it('reads ECR_AUTH_CONFIG instead of the default path', async () => {
    expect(configFileOf({ ECR_AUTH_CONFIG: '/etc/ecr-auth.json' }, HOME)).toBe('/etc/ecr-auth.json');
    expect(configFileOf({}, undefined)).toBeUndefined();
    const config = await load(
      { ECR_AUTH_CONFIG: '/etc/ecr-auth.json' },
      { '/etc/ecr-auth.json': '{"registries": {}}' },
    );
    expect(config.file).toBe('/etc/ecr-auth.json');
  });
});
