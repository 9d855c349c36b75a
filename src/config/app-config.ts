import type { Partition } from '../registry/partition';
import type { RoleArn } from '../registry/role-arn';
import type { OidcProvider } from './oidc-providers';
import type { RedisSettings } from './redis-settings';
import type { TracingSettings } from './tracing-settings';

/** An accepted bearer token; `accounts` limits which customer accounts it may mint for. */
export interface ApiToken {
  readonly token: string;
  /** A short, non-reversible fingerprint: how logs name the caller. */
  readonly fingerprint: string;
  readonly accounts?: ReadonlySet<string>;
  /** The operator's name for the token (`name token` in the list): how audit lines and SourceIdentity name it. */
  readonly name?: string;
}

export interface HealthProbe {
  readonly name: string;
  readonly roleArn: string;
  readonly externalId?: string;
  readonly registry: string;
}

export interface RetrySettings {
  readonly maxAttempts: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

/** The service's configuration: parsed and validated once at start-up, then frozen. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly apiTokens: readonly ApiToken[];
  readonly apiTokensFile?: string;
  /** The tokens of ECR_AUTH_API_TOKENS alone (kept when the file is re-read). */
  readonly inlineApiTokens: readonly ApiToken[];
  /** Issuers whose JWTs are accepted as bearers (ECR_AUTH_OIDC_PROVIDERS), frozen. */
  readonly oidcProviders: readonly OidcProvider[];
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  readonly jumpRole?: { readonly role: RoleArn; readonly externalId?: string };
  readonly requireExternalId: boolean;
  readonly allowedAccounts?: ReadonlySet<string>;
  readonly sessionDurationSeconds: number;
  readonly deniedCacheSeconds: number;
  readonly refreshBufferSeconds: number;
  readonly minTtlSeconds: number;
  readonly cacheMaxEntries: number;
  /** The shared tier's Redis (ECR_AUTH_REDIS_*), frozen; undefined without Redis. */
  readonly redis?: RedisSettings;
  readonly cacheEncryptionKeys: readonly Buffer[];
  readonly retry: RetrySettings;
  readonly upstreamTimeoutMs: number;
  readonly requestDeadlineMs: number;
  /** STS and ECR calls in flight at once in this replica, background work included (ECR_AUTH_UPSTREAM_CONCURRENCY). */
  readonly upstreamConcurrency: number;
  /** Re-mint tokens in use in the background at their refresh time (ECR_AUTH_REFRESH_AHEAD). */
  readonly refreshAhead: boolean;
  readonly healthProbes: readonly HealthProbe[];
  readonly rateLimitPerMinute: number;
  /** POST /registry-auth/verify calls per caller per minute (each costs two AssumeRoles and an ECR call). */
  readonly verifyPerMinute: number;
  readonly maxBodyBytes: number;
  /** The STS region (regional endpoint) and, through it, the one partition this deployment serves. */
  readonly region: string;
  readonly partition: Partition;
  readonly logLevel: string;
  /** `caller`: the customer hop's SourceIdentity is the caller's name (ECR_AUTH_SOURCE_IDENTITY). */
  readonly sourceIdentity: 'off' | 'caller';
  /** The session tag keys a request may set (ECR_AUTH_SESSION_TAG_KEYS); none: `sessionTags` is refused. */
  readonly sessionTagKeys: ReadonlySet<string>;
  /** OpenTelemetry traces over OTLP/HTTP (the OTEL_* switches); undefined: no tracing at all. */
  readonly tracing?: TracingSettings;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
