import { parseConfig } from './parse-config';
import { KEY } from '../../test/fixtures/config-env';
import { readRedisFile, REDIS_SECRET } from '../../test/fixtures/redis-settings-files';

const SECRET = REDIS_SECRET;
const readFile = readRedisFile;

describe('Redis settings accepted', () => {
  it.each<[string, Record<string, string>, object, string | undefined]>([
    [
      'standalone rediss:// with ACL user, encoded password and database',
      { ECR_AUTH_REDIS_URL: `rediss://app:${SECRET}%40x@cache.example.com:6380/2` },
      {
        mode: 'standalone',
        nodes: [{ host: 'cache.example.com', port: 6380 }],
        username: 'app',
        password: `${SECRET}@x`,
        database: 2,
        tls: true,
        redacted: 'standalone rediss://cache.example.com:6380/2',
      },
      `rediss://app:${SECRET}%40x@cache.example.com:6380/2`,
    ],
    [
      'standalone redis:// on the default port, IPv6',
      { ECR_AUTH_REDIS_MODE: 'standalone', ECR_AUTH_REDIS_URL: 'redis://[::1]' },
      {
        mode: 'standalone',
        nodes: [{ host: '::1', port: 6379 }],
        tls: false,
        redacted: 'standalone redis://[::1]:6379',
      },
      'redis://[::1]',
    ],
    [
      'standalone with a password file and a private CA',
      {
        ECR_AUTH_REDIS_URL: 'rediss://app@cache.example.com',
        ECR_AUTH_REDIS_PASSWORD_FILE: '/password',
        ECR_AUTH_REDIS_TLS_CA_FILE: '/ca.pem',
      },
      {
        mode: 'standalone',
        nodes: [{ host: 'cache.example.com', port: 6379 }],
        username: 'app',
        passwordFile: '/password',
        tls: true,
        tlsCaFile: '/ca.pem',
        redacted: 'standalone rediss://cache.example.com:6379',
      },
      'rediss://app@cache.example.com',
    ],
    [
      'cluster seeds: host:port and URLs inherit or repeat the first seed\u2019s scheme and credentials',
      {
        ECR_AUTH_REDIS_MODE: 'cluster',
        ECR_AUTH_REDIS_URL: `rediss://app:${SECRET}@host-a:6379/0, host-b:6380,rediss://app:${SECRET}@10.0.0.3`,
      },
      {
        mode: 'cluster',
        nodes: [
          { host: 'host-a', port: 6379 },
          { host: 'host-b', port: 6380 },
          { host: '10.0.0.3', port: 6379 },
        ],
        username: 'app',
        password: SECRET,
        tls: true,
        redacted: 'cluster rediss://host-a:6379,host-b:6380,10.0.0.3:6379',
      },
      undefined,
    ],
    [
      'sentinel without a URL: plain TCP, Sentinels on their default port',
      {
        ECR_AUTH_REDIS_MODE: 'sentinel',
        ECR_AUTH_REDIS_SENTINELS: 's1:26380, s2',
        ECR_AUTH_REDIS_SENTINEL_MASTER: 'mymaster',
      },
      {
        mode: 'sentinel',
        nodes: [
          { host: 's1', port: 26380 },
          { host: 's2', port: 26379 },
        ],
        tls: false,
        sentinelMaster: 'mymaster',
        redacted: 'sentinel redis://s1:26380,s2:26379 master mymaster',
      },
      undefined,
    ],
    [
      'sentinel with the data nodes\u2019 credentials, TLS and a Sentinel password',
      {
        ECR_AUTH_REDIS_MODE: 'sentinel',
        ECR_AUTH_REDIS_URL: `rediss://app:${SECRET}@redis`,
        ECR_AUTH_REDIS_SENTINELS: 's1:26379',
        ECR_AUTH_REDIS_SENTINEL_MASTER: 'mymaster',
        ECR_AUTH_REDIS_SENTINEL_PASSWORD: `${SECRET}-sentinel`,
        ECR_AUTH_REDIS_TLS_CA_FILE: '/ca.pem',
      },
      {
        mode: 'sentinel',
        nodes: [{ host: 's1', port: 26379 }],
        username: 'app',
        password: SECRET,
        tls: true,
        tlsCaFile: '/ca.pem',
        sentinelMaster: 'mymaster',
        sentinelPassword: `${SECRET}-sentinel`,
        redacted: 'sentinel rediss://s1:26379 master mymaster',
      },
      undefined,
    ],
  ])('%s', (_name, env, redis) => {
    const config = parseConfig({ ...env, ECR_AUTH_CACHE_ENCRYPTION_KEY: KEY }, readFile);
    expect(config.redis).toEqual(redis);
    expect(Object.isFrozen(config.redis)).toBe(true);
    expect(Object.isFrozen(config.redis!.nodes)).toBe(true);
    expect(config.redis!.redacted).not.toContain(SECRET);
    expect(config.redis!.redacted).not.toContain('app');
  });

  it('a comma in a cluster password is written %2C: the seeds split on plain commas only', () => {
    const env = { ECR_AUTH_REDIS_MODE: 'cluster', ECR_AUTH_REDIS_URL: 'redis://app:a%2Cb@host-a,host-b' };
    const redis = parseConfig({ ...env, ECR_AUTH_CACHE_ENCRYPTION_KEY: KEY }).redis!;
    expect(redis).toMatchObject({ password: 'a,b', nodes: [{ host: 'host-a' }, { host: 'host-b' }] });
  });

  it.each([{}, { ECR_AUTH_REDIS_MODE: 'standalone' }])('is off without Redis (%j)', (env) => {
    const config = parseConfig(env, readFile);
    expect(config.redis).toBeUndefined();
  });
});
