import { parseConfig } from './parse-config';
import { configError, JUMP, KEY, KEY2, TOKEN } from '../../test/fixtures/config-env';

describe('parseConfig jump role', () => {
  it.each([
    ['us-east-1', 'arn:aws:iam::111111111111:role/jump'],
    ['cn-north-1', 'arn:aws-cn:iam::111111111111:role/jump'],
    ['us-gov-west-1', 'arn:aws-us-gov:iam::111111111111:role/jump'],
  ])('a jump role in the partition of AWS_REGION=%s is accepted', (region, arn) => {
    const config = parseConfig({
      AWS_REGION: region,
      ECR_AUTH_JUMP_ROLE_ARN: arn,
      ECR_AUTH_JUMP_EXTERNAL_ID: 'jump-ext',
    });
    expect(config.jumpRole).toMatchObject({ role: { arn }, externalId: 'jump-ext' });
  });

  it.each([
    ['cn-north-1', JUMP, 'aws-cn'],
    ['us-east-1', 'arn:aws-us-gov:iam::111111111111:role/jump', 'aws'],
  ])('a jump role outside the partition of AWS_REGION=%s is refused', (region, arn, partition) => {
    expect(configError({ AWS_REGION: region, ECR_AUTH_JUMP_ROLE_ARN: arn }).problems).toEqual([
      `ECR_AUTH_JUMP_ROLE_ARN: must be in the ${partition} partition of AWS_REGION`,
    ]);
  });

  it('falls back to AWS_DEFAULT_REGION for the partition', () => {
    expect(parseConfig({ AWS_DEFAULT_REGION: 'cn-northwest-1' })).toMatchObject({
      region: 'cn-northwest-1',
      partition: 'aws-cn',
    });
  });

  it('refuses a jump external ID outside the STS character set', () => {
    expect(configError({ ECR_AUTH_JUMP_ROLE_ARN: JUMP, ECR_AUTH_JUMP_EXTERNAL_ID: 'has space' }).problems).toEqual([
      expect.stringMatching(/^ECR_AUTH_JUMP_EXTERNAL_ID: /),
    ]);
  });
});

describe('parseConfig Redis and encryption keys', () => {
  it('requires an encryption key with a Redis URL', () => {
    expect(configError({ ECR_AUTH_REDIS_URL: 'redis://cache:6379' }).problems).toEqual([
      expect.stringMatching(/^ECR_AUTH_CACHE_ENCRYPTION_KEY: is required/),
    ]);
  });

  it.each([
    ['16 bytes', Buffer.alloc(16).toString('base64')],
    ['33 bytes', Buffer.alloc(33).toString('base64')],
    ['a hex key (64 characters)', 'ab'.repeat(32)],
    ['one good key and one short', `${KEY},${Buffer.alloc(31).toString('base64')}`],
  ])('refuses an encryption key of %s', (_why, key) => {
    expect(configError({ ECR_AUTH_CACHE_ENCRYPTION_KEY: key }).problems).toEqual([
      expect.stringMatching(/^ECR_AUTH_CACHE_ENCRYPTION_KEY: each/),
    ]);
  });

  it('accepts several 32-byte keys, the first one first', () => {
    const config = parseConfig({
      ECR_AUTH_REDIS_URL: 'rediss://cache:6380/0',
      ECR_AUTH_CACHE_ENCRYPTION_KEY: `${KEY}, ${KEY2}`,
    });
    expect(config.redis).toMatchObject({ mode: 'standalone', tls: true, nodes: [{ host: 'cache', port: 6380 }] });
    expect(config.cacheEncryptionKeys.map((k) => k.toString('base64'))).toEqual([KEY, KEY2]);
  });

  it('refuses a Redis URL of another scheme', () => {
    expect(configError({ ECR_AUTH_REDIS_URL: 'http://cache', ECR_AUTH_CACHE_ENCRYPTION_KEY: KEY }).problems).toEqual([
      expect.stringMatching(/^ECR_AUTH_REDIS_URL: /),
    ]);
  });
});

describe('parseConfig result', () => {
  const config = parseConfig({
    ECR_AUTH_API_TOKENS: TOKEN,
    ECR_AUTH_JUMP_ROLE_ARN: JUMP,
    ECR_AUTH_TLS_CERT_FILE: '/c',
    ECR_AUTH_TLS_KEY_FILE: '/k',
  });

  it.each([
    ['the config', config],
    ['its retry settings', config.retry],
    ['its TLS settings', config.tls],
    ['its jump role', config.jumpRole],
    ['its jump role ARN', config.jumpRole?.role],
    ['each API token', config.apiTokens[0]],
  ])('%s is frozen', (_what, value) => {
    expect(Object.isFrozen(value)).toBe(true);
  });

  it('refuses writes in strict mode', () => {
    expect(() => ((config as { port: number }).port = 1)).toThrow(TypeError);
  });
});

describe('parseConfig SourceIdentity and session tags', () => {
  it('defaults: no SourceIdentity, no tag keys', () => {
    expect(parseConfig({})).toMatchObject({ sourceIdentity: 'off', sessionTagKeys: new Set() });
  });

  it('reads ECR_AUTH_SOURCE_IDENTITY=caller and the listed tag keys', () => {
    expect(
      parseConfig({ ECR_AUTH_SOURCE_IDENTITY: 'caller', ECR_AUTH_SESSION_TAG_KEYS: 'pipeline, team ,cost:center' }),
    ).toMatchObject({ sourceIdentity: 'caller', sessionTagKeys: new Set(['pipeline', 'team', 'cost:center']) });
  });

  it.each([
    ['ECR_AUTH_SOURCE_IDENTITY', 'jwt', 'ECR_AUTH_SOURCE_IDENTITY: must be one of off, caller'],
    [
      'ECR_AUTH_SESSION_TAG_KEYS',
      'pipeline,aws:team',
      "ECR_AUTH_SESSION_TAG_KEYS: each comma-separated key must be 1-128 letters, digits, spaces and _.:/=+-@, not starting with 'aws:'",
    ],
    [
      'ECR_AUTH_SESSION_TAG_KEYS',
      'AWS:Team',
      "ECR_AUTH_SESSION_TAG_KEYS: each comma-separated key must be 1-128 letters, digits, spaces and _.:/=+-@, not starting with 'aws:'",
    ],
    [
      'ECR_AUTH_SESSION_TAG_KEYS',
      'team#1',
      "ECR_AUTH_SESSION_TAG_KEYS: each comma-separated key must be 1-128 letters, digits, spaces and _.:/=+-@, not starting with 'aws:'",
    ],
    [
      'ECR_AUTH_SESSION_TAG_KEYS',
      'k'.repeat(129),
      "ECR_AUTH_SESSION_TAG_KEYS: each comma-separated key must be 1-128 letters, digits, spaces and _.:/=+-@, not starting with 'aws:'",
    ],
    [
      'ECR_AUTH_SESSION_TAG_KEYS',
      'Pipeline,pipeline',
      'ECR_AUTH_SESSION_TAG_KEYS: lists a key twice (keys are compared ignoring case)',
    ],
    [
      'ECR_AUTH_SESSION_TAG_KEYS',
      Array.from({ length: 51 }, (_, i) => `k${i}`).join(','),
      "ECR_AUTH_SESSION_TAG_KEYS: lists more than 50 keys (STS's limit)",
    ],
  ])('refuses %s=%s with one line', (name, value, line) => {
    expect(configError({ [name]: value }).problems).toEqual([line]);
  });
});
