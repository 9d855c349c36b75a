import { z } from 'zod';
import { partitionOfRegion } from '../registry/partition';
import { isValidExternalId } from '../registry/registry-key';
import { parseRoleArn } from '../registry/role-arn';
import { parseApiTokens } from './api-tokens';
import type { ApiToken, AppConfig, HealthProbe } from './app-config';
import { EnvReader } from './env-reader';
import { readOidcProviders } from './oidc-providers';
import { readRedisSettings } from './redis-settings';
import { splitTagKeys, tagKeysProblem } from './session-tag-keys';
import { readTracingSettings } from './tracing-settings';
import { isAccountId } from '../registry/aws-names';

/** Thrown when the environment is invalid: one line per problem, no values. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const probeSchema = z
  .array(
    z.object({
      name: z.string().regex(/^[\w.-]{1,64}$/),
      roleArn: z.string().max(2048),
      externalId: z.string().optional(),
      registry: z.string().max(512),
    }),
  )
  .max(100);

/**
 * Parses and validates the environment into the service's configuration. Pure: the caller
 * passes the environment (tests build one; `load-config.ts` passes `process.env`). Every
 * problem is collected, then thrown together as a ConfigError.
 */
export function parseConfig(
  env: Readonly<Record<string, string | undefined>>,
  readFile?: (path: string) => string,
): AppConfig {
  const r = new EnvReader(env);

  const region = r.str('AWS_REGION') ?? r.str('AWS_DEFAULT_REGION') ?? 'us-east-1';
  const partition = partitionOfRegion(region);
  if (!partition) r.problem('AWS_REGION', 'must be an AWS region such as us-east-1');

  const { apiTokens, inlineApiTokens } = readApiTokens(r, readFile);
  const oidcProviders = readOidcProviders(r, readFile);

  const certFile = r.str('ECR_AUTH_TLS_CERT_FILE');
  const keyFile = r.str('ECR_AUTH_TLS_KEY_FILE');
  if (!!certFile !== !!keyFile)
    r.problem(
      certFile ? 'ECR_AUTH_TLS_KEY_FILE' : 'ECR_AUTH_TLS_CERT_FILE',
      'must be set together with the other TLS file',
    );

  const jumpArn = r.str('ECR_AUTH_JUMP_ROLE_ARN');
  const jumpRole = jumpArn ? parseRoleArn(jumpArn) : undefined;
  if (jumpArn && !jumpRole)
    r.problem('ECR_AUTH_JUMP_ROLE_ARN', 'must be a role ARN: arn:<partition>:iam::<12-digit account>:role/<name>');
  if (jumpRole && partition && jumpRole.partition !== partition) {
    r.problem('ECR_AUTH_JUMP_ROLE_ARN', `must be in the ${partition} partition of AWS_REGION`);
  }
  const jumpExternalId = r.str('ECR_AUTH_JUMP_EXTERNAL_ID');
  if (jumpExternalId && !isValidExternalId(jumpExternalId))
    r.problem('ECR_AUTH_JUMP_EXTERNAL_ID', 'must be 2-1224 characters of letters, digits and +=,.@:/-_');
  if (jumpExternalId && !jumpArn) r.problem('ECR_AUTH_JUMP_EXTERNAL_ID', 'is only used with ECR_AUTH_JUMP_ROLE_ARN');

  const allowed = r.list('ECR_AUTH_ALLOWED_ACCOUNTS');
  if (!allowed.every(isAccountId))
    r.problem('ECR_AUTH_ALLOWED_ACCOUNTS', 'must be comma-separated 12-digit account ids');

  const sessionDurationSeconds = r.int('ECR_AUTH_SESSION_DURATION_SECONDS', 3600, 900, 3600);
  const refreshBufferSeconds = r.int('ECR_AUTH_REFRESH_BUFFER_SECONDS', 300, 0, 3600);
  if (refreshBufferSeconds > sessionDurationSeconds)
    r.problem('ECR_AUTH_REFRESH_BUFFER_SECONDS', 'must not exceed ECR_AUTH_SESSION_DURATION_SECONDS');

  const redis = readRedisSettings(r, readFile);
  const cacheEncryptionKeys = readEncryptionKeys(r);

  const retry = {
    maxAttempts: r.int('ECR_AUTH_RETRY_MAX_ATTEMPTS', 5, 1, 20),
    minDelayMs: r.int('ECR_AUTH_RETRY_MIN_DELAY_MS', 100, 0, 60000),
    maxDelayMs: r.int('ECR_AUTH_RETRY_MAX_DELAY_MS', 2000, 0, 600000),
  };
  if (retry.maxDelayMs < retry.minDelayMs)
    r.problem('ECR_AUTH_RETRY_MAX_DELAY_MS', 'must be at least ECR_AUTH_RETRY_MIN_DELAY_MS');

  const config: AppConfig = {
    port: r.int('PORT', 8080, 0, 65535),
    host: r.str('HOST') ?? '0.0.0.0',
    apiTokens: Object.freeze(apiTokens),
    inlineApiTokens: Object.freeze(inlineApiTokens),
    apiTokensFile: r.str('ECR_AUTH_API_TOKENS_FILE'),
    oidcProviders,
    tls: certFile && keyFile ? Object.freeze({ certFile, keyFile }) : undefined,
    jumpRole: jumpRole ? Object.freeze({ role: Object.freeze(jumpRole), externalId: jumpExternalId }) : undefined,
    requireExternalId: r.bool('ECR_AUTH_REQUIRE_EXTERNAL_ID', true),
    allowedAccounts: allowed.length > 0 ? new Set(allowed) : undefined,
    sessionDurationSeconds,
    deniedCacheSeconds: r.int('ECR_AUTH_DENIED_CACHE_SECONDS', 10, 0, 3600),
    refreshBufferSeconds,
    minTtlSeconds: r.int('ECR_AUTH_MIN_TTL_SECONDS', 60, 1, 3600),
    cacheMaxEntries: r.int('ECR_AUTH_CACHE_MAX_ENTRIES', 10000, 1, 10_000_000),
    redis,
    cacheEncryptionKeys: Object.freeze(cacheEncryptionKeys),
    retry: Object.freeze(retry),
    upstreamTimeoutMs: r.int('ECR_AUTH_UPSTREAM_TIMEOUT_MS', 5000, 100, 120000),
    requestDeadlineMs: r.int('ECR_AUTH_REQUEST_DEADLINE_MS', 15000, 100, 600000),
    upstreamConcurrency: r.int('ECR_AUTH_UPSTREAM_CONCURRENCY', 16, 1, 10000),
    refreshAhead: r.bool('ECR_AUTH_REFRESH_AHEAD', true),
    healthProbes: Object.freeze(readProbes(r)),
    rateLimitPerMinute: r.int('ECR_AUTH_RATE_LIMIT_PER_MINUTE', 60000, 0, 100_000_000),
    verifyPerMinute: r.int('ECR_AUTH_VERIFY_PER_MINUTE', 10, 0, 100_000),
    maxBodyBytes: r.int('ECR_AUTH_MAX_BODY_BYTES', 16384, 256, 1_048_576),
    region,
    partition: partition ?? 'aws',
    logLevel: r.oneOf('LOG_LEVEL', 'info', LOG_LEVELS),
    sourceIdentity: r.oneOf('ECR_AUTH_SOURCE_IDENTITY', 'off', ['off', 'caller'] as const),
    sessionTagKeys: readSessionTagKeys(r),
    tracing: readTracingSettings(r),
  };
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return Object.freeze(config);
}

function readApiTokens(
  r: EnvReader,
  readFile?: (path: string) => string,
): { apiTokens: ApiToken[]; inlineApiTokens: ApiToken[] } {
  const inline = r.str('ECR_AUTH_API_TOKENS');
  const file = r.str('ECR_AUTH_API_TOKENS_FILE');
  const sources: Array<[string, string]> = [];
  if (inline) sources.push(['ECR_AUTH_API_TOKENS', inline]);
  if (file) {
    try {
      sources.push(['ECR_AUTH_API_TOKENS_FILE', (readFile ?? failRead)(file)]);
    } catch {
      r.problem('ECR_AUTH_API_TOKENS_FILE', 'names a file that cannot be read');
    }
  }
  const tokens: ApiToken[] = [];
  const inlineTokens: ApiToken[] = [];
  for (const [name, text] of sources) {
    const parsed = parseApiTokens(text);
    parsed.problems.forEach((p) => r.problem(name, p));
    tokens.push(...parsed.tokens);
    if (name === 'ECR_AUTH_API_TOKENS') inlineTokens.push(...parsed.tokens);
  }
  return { apiTokens: tokens, inlineApiTokens: inlineTokens };
}

function failRead(): string {
  throw new Error('no file reader');
}

function readEncryptionKeys(r: EnvReader): Buffer[] {
  const keys = r.list('ECR_AUTH_CACHE_ENCRYPTION_KEY').map((k) => Buffer.from(k, 'base64'));
  if (keys.some((k) => k.length !== 32)) {
    r.problem(
      'ECR_AUTH_CACHE_ENCRYPTION_KEY',
      'each comma-separated key must be 32 bytes in base64 (openssl rand -base64 32)',
    );
    return [];
  }
  return keys;
}

/** ECR_AUTH_SESSION_TAG_KEYS: see `tagKeysProblem`. */
function readSessionTagKeys(r: EnvReader): ReadonlySet<string> {
  const name = 'ECR_AUTH_SESSION_TAG_KEYS';
  const keys = splitTagKeys(r.str(name));
  const problem = tagKeysProblem(keys);
  if (problem) r.problem(name, problem);
  return new Set(keys);
}

function readProbes(r: EnvReader): HealthProbe[] {
  const raw = r.str('ECR_AUTH_HEALTH_PROBES');
  if (!raw) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    r.problem('ECR_AUTH_HEALTH_PROBES', 'must be a JSON list of {"name","roleArn","externalId","registry"}');
    return [];
  }
  const parsed = probeSchema.safeParse(json);
  if (!parsed.success) {
    r.problem(
      'ECR_AUTH_HEALTH_PROBES',
      'must be a JSON list of {"name","roleArn","externalId","registry"} with a name of letters, digits, . _ -',
    );
    return [];
  }
  return parsed.data.map((p) => Object.freeze({ ...p }));
}
