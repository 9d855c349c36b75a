import { parseConfig } from './parse-config';
import { configError } from '../../test/fixtures/config-env';

describe('parseConfig defaults', () => {
  const config = parseConfig({});

  it.each([
    ['PORT', 'port', 8080],
    ['HOST', 'host', '0.0.0.0'],
    ['ECR_AUTH_REQUIRE_EXTERNAL_ID', 'requireExternalId', true],
    ['ECR_AUTH_SESSION_DURATION_SECONDS', 'sessionDurationSeconds', 3600],
    ['ECR_AUTH_DENIED_CACHE_SECONDS', 'deniedCacheSeconds', 10],
    ['ECR_AUTH_REFRESH_BUFFER_SECONDS', 'refreshBufferSeconds', 300],
    ['ECR_AUTH_MIN_TTL_SECONDS', 'minTtlSeconds', 60],
    ['ECR_AUTH_CACHE_MAX_ENTRIES', 'cacheMaxEntries', 10000],
    ['ECR_AUTH_UPSTREAM_TIMEOUT_MS', 'upstreamTimeoutMs', 5000],
    ['ECR_AUTH_REQUEST_DEADLINE_MS', 'requestDeadlineMs', 15000],
    ['ECR_AUTH_UPSTREAM_CONCURRENCY', 'upstreamConcurrency', 16],
    ['ECR_AUTH_REFRESH_AHEAD', 'refreshAhead', true],
    ['ECR_AUTH_RATE_LIMIT_PER_MINUTE', 'rateLimitPerMinute', 60000],
    ['ECR_AUTH_VERIFY_PER_MINUTE', 'verifyPerMinute', 10],
    ['ECR_AUTH_MAX_BODY_BYTES', 'maxBodyBytes', 16384],
    ['AWS_REGION', 'region', 'us-east-1'],
    ['LOG_LEVEL', 'logLevel', 'info'],
  ] as const)('unset %s defaults to the contract value', (_name, field, expected) => {
    expect(config[field]).toBe(expected);
  });

  it('retry defaults to 5 attempts, 100 ms to 2000 ms', () => {
    expect(config.retry).toEqual({ maxAttempts: 5, minDelayMs: 100, maxDelayMs: 2000 });
  });

  it('optional features are off: no tokens, jump role, TLS, Redis, probes or account limit', () => {
    expect(config).toMatchObject({ apiTokens: [], cacheEncryptionKeys: [], healthProbes: [], partition: 'aws' });
    for (const field of ['jumpRole', 'tls', 'redis', 'allowedAccounts', 'apiTokensFile'] as const)
      expect(config[field]).toBeUndefined();
  });

  it('blank values count as unset', () => {
    expect(parseConfig({ PORT: '  ', AWS_REGION: '' })).toMatchObject({ port: 8080, region: 'us-east-1' });
  });
});

describe('parseConfig bounds', () => {
  it.each([
    ['PORT', 0, 65535],
    ['ECR_AUTH_SESSION_DURATION_SECONDS', 900, 3600],
    ['ECR_AUTH_DENIED_CACHE_SECONDS', 0, 3600],
    ['ECR_AUTH_REFRESH_BUFFER_SECONDS', 0, 3600],
    ['ECR_AUTH_MIN_TTL_SECONDS', 1, 3600],
    ['ECR_AUTH_CACHE_MAX_ENTRIES', 1, 10_000_000],
    ['ECR_AUTH_RETRY_MAX_ATTEMPTS', 1, 20],
    ['ECR_AUTH_RETRY_MIN_DELAY_MS', 0, 60000],
    ['ECR_AUTH_RETRY_MAX_DELAY_MS', 0, 600000],
    ['ECR_AUTH_UPSTREAM_TIMEOUT_MS', 100, 120000],
    ['ECR_AUTH_REQUEST_DEADLINE_MS', 100, 600000],
    ['ECR_AUTH_UPSTREAM_CONCURRENCY', 1, 10000],
    ['ECR_AUTH_RATE_LIMIT_PER_MINUTE', 0, 100_000_000],
    ['ECR_AUTH_VERIFY_PER_MINUTE', 0, 100_000],
    ['ECR_AUTH_MAX_BODY_BYTES', 256, 1_048_576],
  ])('%s accepts %i to %i and refuses one past either end', (name, min, max) => {
    // Keep the cross-checks (delay order, buffer ≤ session) satisfied at both ends.
    const base: Record<string, string> = name.startsWith('ECR_AUTH_RETRY_')
      ? { ECR_AUTH_RETRY_MIN_DELAY_MS: '0', ECR_AUTH_RETRY_MAX_DELAY_MS: '600000' }
      : { ECR_AUTH_REFRESH_BUFFER_SECONDS: '0' };
    for (const ok of [min, max]) expect(() => parseConfig({ ...base, [name]: String(ok) })).not.toThrow();
    for (const bad of [...(min > 0 ? [min - 1] : []), max + 1]) {
      expect(configError({ ...base, [name]: String(bad) }).problems).toEqual([
        `${name}: must be a whole number from ${min} to ${max}`,
      ]);
    }
  });

  it.each(['-1', '1e3', '3600.0', '0x10', 'ten'])('a number must be whole digits, not %j', (raw) => {
    expect(configError({ ECR_AUTH_SESSION_DURATION_SECONDS: raw }).problems).toHaveLength(1);
  });

  it.each([
    ['true', true],
    ['YES', true],
    ['1', true],
    ['false', false],
    ['no', false],
    ['0', false],
  ])('ECR_AUTH_REQUIRE_EXTERNAL_ID=%s reads as %s', (raw, expected) =>
    expect(parseConfig({ ECR_AUTH_REQUIRE_EXTERNAL_ID: raw }).requireExternalId).toBe(expected),
  );

  it('ECR_AUTH_REFRESH_AHEAD=false turns refresh-ahead off; anything but a boolean is refused', () => {
    expect(parseConfig({ ECR_AUTH_REFRESH_AHEAD: 'false' }).refreshAhead).toBe(false);
    expect(configError({ ECR_AUTH_REFRESH_AHEAD: 'sometimes' }).problems).toEqual([
      'ECR_AUTH_REFRESH_AHEAD: must be true or false (1/0 and yes/no are accepted too)',
    ]);
  });

  it.each([
    [
      'the refresh buffer exceeds the session',
      { ECR_AUTH_SESSION_DURATION_SECONDS: '900', ECR_AUTH_REFRESH_BUFFER_SECONDS: '901' },
      'ECR_AUTH_REFRESH_BUFFER_SECONDS',
    ],
    [
      'the max retry delay is under the min',
      { ECR_AUTH_RETRY_MIN_DELAY_MS: '500', ECR_AUTH_RETRY_MAX_DELAY_MS: '499' },
      'ECR_AUTH_RETRY_MAX_DELAY_MS',
    ],
    ['only the TLS cert is set', { ECR_AUTH_TLS_CERT_FILE: '/c.pem' }, 'ECR_AUTH_TLS_KEY_FILE'],
    ['only the TLS key is set', { ECR_AUTH_TLS_KEY_FILE: '/k.pem' }, 'ECR_AUTH_TLS_CERT_FILE'],
    [
      'a jump external ID comes without a jump role',
      { ECR_AUTH_JUMP_EXTERNAL_ID: 'ext-123' },
      'ECR_AUTH_JUMP_EXTERNAL_ID',
    ],
    [
      'an allowed account is not 12 digits',
      { ECR_AUTH_ALLOWED_ACCOUNTS: '111111111111,12345' },
      'ECR_AUTH_ALLOWED_ACCOUNTS',
    ],
    ['the region is malformed', { AWS_REGION: 'US_EAST' }, 'AWS_REGION'],
    ['the log level is unknown', { LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
    [
      'the health probes are not a list of probes',
      { ECR_AUTH_HEALTH_PROBES: '[{"name":"bad name!"}]' },
      'ECR_AUTH_HEALTH_PROBES',
    ],
  ])('refuses the configuration when %s', (_why, env, variable) => {
    expect(configError(env).problems).toEqual([expect.stringMatching(new RegExp(`^${variable}: `))]);
  });

  it('reads TLS, allowed accounts and probes when valid', () => {
    const config = parseConfig({
      ECR_AUTH_TLS_CERT_FILE: '/c.pem',
      ECR_AUTH_TLS_KEY_FILE: '/k.pem',
      ECR_AUTH_ALLOWED_ACCOUNTS: ' 111111111111 , 222222222222,',
      ECR_AUTH_HEALTH_PROBES:
        '[{"name":"p-1","roleArn":"arn:aws:iam::222222222222:role/x","registry":"222222222222.dkr.ecr.eu-west-1.amazonaws.com"}]',
    });
    expect(config.tls).toEqual({ certFile: '/c.pem', keyFile: '/k.pem' });
    expect([...config.allowedAccounts!]).toEqual(['111111111111', '222222222222']);
    expect(config.healthProbes).toEqual([expect.objectContaining({ name: 'p-1' })]);
  });
});

describe('parseConfig problem reporting', () => {
  const SECRET = 'Zq9-DISTINCT-bad-value-Zq9';
  const bad = {
    PORT: SECRET,
    AWS_REGION: SECRET,
    LOG_LEVEL: SECRET,
    ECR_AUTH_REQUIRE_EXTERNAL_ID: SECRET,
    ECR_AUTH_JUMP_ROLE_ARN: SECRET,
    ECR_AUTH_ALLOWED_ACCOUNTS: SECRET,
    ECR_AUTH_REDIS_URL: `http://user:${SECRET}@host`,
    ECR_AUTH_CACHE_ENCRYPTION_KEY: Buffer.from(SECRET).toString('base64'),
    ECR_AUTH_API_TOKENS: `short ${SECRET} token`,
    ECR_AUTH_HEALTH_PROBES: `{${SECRET}`,
  };
  const error = configError(bad);

  it('reports every problem together, one line each, naming its variable', () => {
    const named = error.problems.map((p) => p.slice(0, p.indexOf(':')));
    expect(new Set(named)).toEqual(new Set(Object.keys(bad)));
    expect(error.message.split('\n').slice(1)).toEqual(error.problems);
    for (const line of error.problems) expect(line).not.toMatch(/\n/);
  });

  it('never contains a bad value, in the message or the problem lines', () => {
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain(bad.ECR_AUTH_CACHE_ENCRYPTION_KEY);
    expect(error.problems.join('\n')).not.toContain(SECRET);
    expect(error.name).toBe('ConfigError');
  });
});
