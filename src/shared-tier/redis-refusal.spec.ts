import type { RedisMode } from '../config/redis-settings';
import { classifyRedisError, RefusalCause } from './redis-refusal';

const tlsError = (code: string, message: string) => Object.assign(new Error(message), { code });

/** Redis's own answers (as node-redis reports them) and what the tier makes of them. */
describe('classifyRedisError', () => {
  it.each<[string, unknown, RedisMode, RefusalCause | undefined, string | undefined]>([
    [
      'CROSSSLOT in standalone mode',
      new Error("CROSSSLOT Keys in request don't hash to the same slot"),
      'standalone',
      'cluster',
      'set ECR_AUTH_REDIS_MODE=cluster',
    ],
    [
      'MOVED in standalone mode',
      new Error('MOVED 3999 127.0.0.1:7002'),
      'standalone',
      'cluster',
      'ECR_AUTH_REDIS_MODE=cluster',
    ],
    [
      'ASK in standalone mode',
      new Error('ASK 3999 127.0.0.1:7002'),
      'standalone',
      'cluster',
      'ECR_AUTH_REDIS_MODE=cluster',
    ],
    [
      'MOVED in cluster mode: the client follows it',
      new Error('MOVED 3999 127.0.0.1:7002'),
      'cluster',
      undefined,
      undefined,
    ],
    [
      'cluster mode against a node without cluster support',
      new Error('ERR This instance has cluster support disabled'),
      'cluster',
      'not-cluster',
      'set ECR_AUTH_REDIS_MODE=standalone',
    ],
    [
      'NOPERM for a command',
      new Error("NOPERM User limited has no permissions to run the 'evalsha' command"),
      'standalone',
      'noperm',
      'the ACL user lacks the command EVALSHA',
    ],
    [
      'NOPERM for a key',
      new Error('NOPERM No permissions to access a key'),
      'cluster',
      'noperm',
      'the ACL user lacks a key: grant the rule in docs/caching.md',
    ],
    [
      'NOPERM for a channel',
      new Error('NOPERM No permissions to access a channel'),
      'sentinel',
      'noperm',
      'lacks a channel',
    ],
    [
      'WRONGPASS',
      new Error('WRONGPASS invalid username-password pair or user is disabled.'),
      'standalone',
      'auth',
      'check ECR_AUTH_REDIS_PASSWORD_FILE or the user and password in ECR_AUTH_REDIS_URL',
    ],
    ['NOAUTH', new Error('NOAUTH Authentication required.'), 'cluster', 'auth', 'ECR_AUTH_REDIS_PASSWORD_FILE'],
    [
      'READONLY from a replica',
      new Error("READONLY You can't write against a read only replica."),
      'standalone',
      'readonly',
      'ECR_AUTH_REDIS_URL names a replica: use the primary endpoint',
    ],
    [
      'READONLY in sentinel mode',
      new Error("READONLY You can't write against a read only replica."),
      'sentinel',
      'readonly',
      'ECR_AUTH_REDIS_SENTINEL_MASTER',
    ],
    [
      'an untrusted certificate',
      tlsError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'),
      'standalone',
      'tls',
      'set ECR_AUTH_REDIS_TLS_CA_FILE',
    ],
    [
      'a host name not in the certificate',
      tlsError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"),
      'cluster',
      'tls',
      'TLS:',
    ],
    [
      'a refusal wrapped as a cause',
      new Error('connect failed', { cause: new Error('WRONGPASS invalid username-password pair') }),
      'sentinel',
      'auth',
      'ECR_AUTH_REDIS_PASSWORD_FILE',
    ],
    [
      'a refused connection: an outage',
      tlsError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'),
      'standalone',
      undefined,
      undefined,
    ],
    ['a timeout: an outage', new Error('no answer within 100 ms'), 'cluster', undefined, undefined],
    [
      'a failing-over cluster: an outage',
      new Error('CLUSTERDOWN The cluster is down'),
      'cluster',
      undefined,
      undefined,
    ],
    ['not an error', 'text', 'standalone', undefined, undefined],
    ['nothing', undefined, 'standalone', undefined, undefined],
  ])('%s', (_name, error, mode, cause, fix) => {
    const refusal = classifyRedisError(error, mode);
    expect(refusal?.cause).toBe(cause);
    if (fix !== undefined) expect(refusal?.fix).toContain(fix);
  });
});
