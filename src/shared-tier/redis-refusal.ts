import type { RedisMode } from '../config/redis-settings';

/** Why a Redis refuses the tier: a configuration error of this deployment, not an outage. */
export type RefusalCause = 'cluster' | 'not-cluster' | 'noperm' | 'auth' | 'readonly' | 'tls';

/** A refusal: its cause, and the sentence that names the setting that fixes it. */
export interface Refusal {
  readonly cause: RefusalCause;
  readonly fix: string;
}

const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * What a Redis error says about the configuration, or undefined for an outage (refused
 * connection, timeout, a node failing over) and any other error. Pure: the table in its spec.
 */
export function classifyRedisError(error: unknown, mode: RedisMode): Refusal | undefined {
  const e = error as { message?: unknown; code?: unknown; cause?: unknown } | undefined;
  const message = typeof e?.message === 'string' ? e.message : '';
  const code = typeof e?.code === 'string' ? e.code : '';
  if (/^CROSSSLOT\b/.test(message) || (mode !== 'cluster' && /^(MOVED|ASK) \d+ /.test(message)))
    return { cause: 'cluster', fix: 'this Redis is a cluster: set ECR_AUTH_REDIS_MODE=cluster' };
  if (mode === 'cluster' && /cluster support disabled|unknown command .?cluster/i.test(message))
    return { cause: 'not-cluster', fix: 'this Redis is not a cluster: set ECR_AUTH_REDIS_MODE=standalone' };
  if (/^NOPERM\b/.test(message)) {
    const command = /'([A-Za-z|.\-_]+)' command/.exec(message)?.[1];
    const what = command ? `the command ${command.toUpperCase()}` : /channel/i.test(message) ? 'a channel' : 'a key';
    return {
      cause: 'noperm',
      fix: `the ACL user lacks ${what}: grant the rule in docs/caching.md to the user of ECR_AUTH_REDIS_URL`,
    };
  }
  if (/^(WRONGPASS|NOAUTH)\b/.test(message) || /invalid username-password pair/i.test(message))
    return {
      cause: 'auth',
      fix: 'Redis refuses the credentials: check ECR_AUTH_REDIS_PASSWORD_FILE or the user and password in ECR_AUTH_REDIS_URL',
    };
  if (/^READONLY\b/.test(message))
    return {
      cause: 'readonly',
      fix:
        mode === 'sentinel'
          ? 'the master named by ECR_AUTH_REDIS_SENTINEL_MASTER answers as a replica: check the Sentinels'
          : 'ECR_AUTH_REDIS_URL names a replica: use the primary endpoint',
    };
  if (TLS_CODES.has(code) || /certificate/i.test(message))
    return {
      cause: 'tls',
      fix: "TLS: the server's certificate is not trusted for this host: set ECR_AUTH_REDIS_TLS_CA_FILE to the CA that signed it (PEM), or use the host name in the certificate",
    };
  if (e?.cause !== undefined && e.cause !== error) return classifyRedisError(e.cause, mode);
  return undefined;
}
