import { ConfigError, parseConfig } from './parse-config';
import { KEY } from '../../test/fixtures/config-env';
import { readRedisFile, REDIS_SECRET } from '../../test/fixtures/redis-settings-files';

const SECRET = REDIS_SECRET;
const readFile = readRedisFile;

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    parseConfig(env, readFile);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('Redis settings refused', () => {
  const url = `rediss://app:${SECRET}@cache.example.com`;
  const sentinel = {
    ECR_AUTH_REDIS_MODE: 'sentinel',
    ECR_AUTH_REDIS_SENTINELS: 's1:26379',
    ECR_AUTH_REDIS_SENTINEL_MASTER: 'mymaster',
  };
  it.each<[string, Record<string, string>, RegExp[]]>([
    [
      'an unknown mode',
      { ECR_AUTH_REDIS_MODE: 'replicated' },
      [/^ECR_AUTH_REDIS_MODE: must be one of standalone, cluster, sentinel$/],
    ],
    [
      'another scheme',
      { ECR_AUTH_REDIS_URL: `http://app:${SECRET}@cache` },
      [/^ECR_AUTH_REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/],
    ],
    [
      'a URL with a query',
      { ECR_AUTH_REDIS_URL: `${url}?password=${SECRET}` },
      [/^ECR_AUTH_REDIS_URL: must not carry a query/],
    ],
    [
      'a URL with a path',
      { ECR_AUTH_REDIS_URL: `${url}/db/${SECRET}` },
      [/^ECR_AUTH_REDIS_URL: may end with a database number only/],
    ],
    ['a URL without a host', { ECR_AUTH_REDIS_URL: `redis://:${SECRET}@` }, [/^ECR_AUTH_REDIS_URL: must/]],
    ['a bad port', { ECR_AUTH_REDIS_URL: `redis://:${SECRET}@cache:0` }, [/^ECR_AUTH_REDIS_URL: must name a port/]],
    [
      'several nodes in standalone mode',
      { ECR_AUTH_REDIS_URL: `${url},host-b:6379` },
      [/^ECR_AUTH_REDIS_URL: names one node; .*ECR_AUTH_REDIS_MODE=cluster$/],
    ],
    [
      'cluster mode without seeds',
      { ECR_AUTH_REDIS_MODE: 'cluster' },
      [/^ECR_AUTH_REDIS_URL: is required with ECR_AUTH_REDIS_MODE=cluster/],
    ],
    [
      'a database number in cluster mode',
      { ECR_AUTH_REDIS_MODE: 'cluster', ECR_AUTH_REDIS_URL: `${url}/3` },
      [/^ECR_AUTH_REDIS_URL: seed 1 gives a database number: .*no SELECT/],
    ],
    [
      'a database number on a later seed',
      { ECR_AUTH_REDIS_MODE: 'cluster', ECR_AUTH_REDIS_URL: `${url},${url}/3` },
      [/^ECR_AUTH_REDIS_URL: seed 2 gives a database number/],
    ],
    [
      'a bad later seed',
      { ECR_AUTH_REDIS_MODE: 'cluster', ECR_AUTH_REDIS_URL: `${url},${SECRET}@host:1` },
      [/^ECR_AUTH_REDIS_URL: seed 2 must be host:port/],
    ],
    [
      'an empty later seed',
      { ECR_AUTH_REDIS_MODE: 'cluster', ECR_AUTH_REDIS_URL: `${url},` },
      [/^ECR_AUTH_REDIS_URL: seed 2 must be host:port/],
    ],
    [
      'a later seed of another scheme',
      { ECR_AUTH_REDIS_MODE: 'cluster', ECR_AUTH_REDIS_URL: `${url},redis://host-b` },
      [/^ECR_AUTH_REDIS_URL: seed 2 must use the first seed's scheme/],
    ],
    [
      'a later seed of other credentials',
      { ECR_AUTH_REDIS_MODE: 'cluster', ECR_AUTH_REDIS_URL: `${url},rediss://b:${SECRET}x@host-b` },
      [/^ECR_AUTH_REDIS_URL: seed 2 carries other credentials/],
    ],
    [
      'a bad first seed',
      { ECR_AUTH_REDIS_MODE: 'cluster', ECR_AUTH_REDIS_URL: `host-a:${SECRET},host-b` },
      [/^ECR_AUTH_REDIS_URL: seed 1 must be a redis:\/\/ or rediss:\/\/ URL/],
    ],
    [
      'sentinel mode without Sentinels or master',
      { ECR_AUTH_REDIS_MODE: 'sentinel', ECR_AUTH_REDIS_URL: url },
      [
        /^ECR_AUTH_REDIS_SENTINELS: is required with ECR_AUTH_REDIS_MODE=sentinel/,
        /^ECR_AUTH_REDIS_SENTINEL_MASTER: is required/,
      ],
    ],
    [
      'a database number in sentinel mode',
      { ...sentinel, ECR_AUTH_REDIS_URL: `${url}/2` },
      [/^ECR_AUTH_REDIS_URL: gives a database number, which sentinel mode does not use/],
    ],
    [
      'several URLs in sentinel mode',
      { ...sentinel, ECR_AUTH_REDIS_URL: `${url},${url}` },
      [/^ECR_AUTH_REDIS_URL: names one URL in sentinel mode/],
    ],
    [
      'a bad Sentinel',
      { ...sentinel, ECR_AUTH_REDIS_SENTINELS: `s1:26379,s2:${SECRET}` },
      [/^ECR_AUTH_REDIS_SENTINELS: entry 2 must be host:port/],
    ],
    [
      'a master name with a space',
      { ...sentinel, ECR_AUTH_REDIS_SENTINEL_MASTER: `my ${SECRET}` },
      [/^ECR_AUTH_REDIS_SENTINEL_MASTER: must be 1-256 characters without spaces$/],
    ],
    [
      'Sentinel variables in standalone mode',
      {
        ECR_AUTH_REDIS_URL: url,
        ECR_AUTH_REDIS_SENTINELS: 's1:26379',
        ECR_AUTH_REDIS_SENTINEL_MASTER: 'm',
        ECR_AUTH_REDIS_SENTINEL_PASSWORD: SECRET,
      },
      [
        /^ECR_AUTH_REDIS_SENTINELS: is only used with ECR_AUTH_REDIS_MODE=sentinel$/,
        /^ECR_AUTH_REDIS_SENTINEL_MASTER: is only used with ECR_AUTH_REDIS_MODE=sentinel$/,
        /^ECR_AUTH_REDIS_SENTINEL_PASSWORD: is only used with ECR_AUTH_REDIS_MODE=sentinel$/,
      ],
    ],
    [
      'a CA file with redis://',
      { ECR_AUTH_REDIS_URL: `redis://:${SECRET}@cache`, ECR_AUTH_REDIS_TLS_CA_FILE: '/ca.pem' },
      [/^ECR_AUTH_REDIS_TLS_CA_FILE: is only used with rediss:\/\//],
    ],
    [
      'a CA file in sentinel mode without rediss://',
      { ...sentinel, ECR_AUTH_REDIS_TLS_CA_FILE: '/ca.pem' },
      [/^ECR_AUTH_REDIS_TLS_CA_FILE: is only used with rediss:\/\//],
    ],
    [
      'a CA file without Redis',
      { ECR_AUTH_REDIS_TLS_CA_FILE: '/ca.pem' },
      [/^ECR_AUTH_REDIS_TLS_CA_FILE: is only used with a rediss:\/\/ ECR_AUTH_REDIS_URL$/],
    ],
    [
      'an unreadable CA file',
      { ECR_AUTH_REDIS_URL: url, ECR_AUTH_REDIS_TLS_CA_FILE: '/missing.pem' },
      [/^ECR_AUTH_REDIS_TLS_CA_FILE: names a file that cannot be read$/],
    ],
    [
      'a CA file that is not PEM',
      { ECR_AUTH_REDIS_URL: url, ECR_AUTH_REDIS_TLS_CA_FILE: '/not-pem.txt' },
      [/^ECR_AUTH_REDIS_TLS_CA_FILE: must be PEM/],
    ],
    [
      'a password file and a password in the URL',
      { ECR_AUTH_REDIS_URL: url, ECR_AUTH_REDIS_PASSWORD_FILE: '/password' },
      [/^ECR_AUTH_REDIS_PASSWORD_FILE: is set and ECR_AUTH_REDIS_URL carries a password: which one wins is ambiguous/],
    ],
    [
      'an unreadable password file',
      { ECR_AUTH_REDIS_URL: 'redis://cache', ECR_AUTH_REDIS_PASSWORD_FILE: '/missing' },
      [/^ECR_AUTH_REDIS_PASSWORD_FILE: names a file that cannot be read$/],
    ],
    [
      'an empty password file',
      { ECR_AUTH_REDIS_URL: 'redis://cache', ECR_AUTH_REDIS_PASSWORD_FILE: '/empty-password' },
      [/^ECR_AUTH_REDIS_PASSWORD_FILE: names an empty file$/],
    ],
    [
      'a password file without Redis',
      { ECR_AUTH_REDIS_PASSWORD_FILE: '/password' },
      [/^ECR_AUTH_REDIS_PASSWORD_FILE: is only used with Redis/],
    ],
  ])('%s', (_name, env, expected) => {
    const problems = problemsOf({ ECR_AUTH_CACHE_ENCRYPTION_KEY: KEY, ...env });
    expect(problems).toEqual(expected.map((p) => expect.stringMatching(p)));
    expect(problems.join('\n')).not.toContain(SECRET);
  });

  it.each([
    ['a standalone URL', { ECR_AUTH_REDIS_URL: url }],
    ['cluster mode', { ECR_AUTH_REDIS_MODE: 'cluster', ECR_AUTH_REDIS_URL: url }],
    ['sentinel mode without a URL', sentinel],
  ])('requires an encryption key with %s', (_name, env) => {
    expect(problemsOf(env)).toEqual([expect.stringMatching(/^ECR_AUTH_CACHE_ENCRYPTION_KEY: is required with Redis/)]);
  });

  it('reports every Redis problem at once, naming each variable, echoing no value', () => {
    const problems = problemsOf({
      ECR_AUTH_REDIS_MODE: 'cluster',
      ECR_AUTH_REDIS_URL: `${url}/4,rediss://x:${SECRET}@b`,
      ECR_AUTH_REDIS_SENTINEL_PASSWORD: SECRET,
      ECR_AUTH_REDIS_TLS_CA_FILE: '/not-pem.txt',
      ECR_AUTH_REDIS_PASSWORD_FILE: '/password',
    });
    expect(problems.map((p) => p.slice(0, p.indexOf(':')))).toEqual([
      'ECR_AUTH_REDIS_SENTINEL_PASSWORD',
      'ECR_AUTH_REDIS_URL',
      'ECR_AUTH_REDIS_URL',
      'ECR_AUTH_REDIS_TLS_CA_FILE',
      'ECR_AUTH_REDIS_PASSWORD_FILE',
      'ECR_AUTH_CACHE_ENCRYPTION_KEY',
    ]);
    expect(problems.join('\n')).not.toContain(SECRET);
  });
});
