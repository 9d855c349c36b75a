import type { ErrorCode } from '../errors/error-codes';

/**
 * When each error code is answered, for the API description. Keyed by every code: a code
 * added to the catalogue without a description here does not compile.
 */
export const ERROR_DESCRIPTIONS = {
  INVALID_REQUEST:
    'The body is not JSON, a field is missing, mistyped or too long, `access` is unknown, or a key could pollute prototypes (`__proto__`, `constructor`, `prototype`); for query routes, a parameter is missing, repeated or malformed.',
  UNSUPPORTED_REGISTRY: '`registry` is a string but not an Amazon ECR (private or public) host, look-alikes included.',
  INVALID_REGISTRY_KEY:
    "The key is neither a well-formed role ARN nor an access key pair; an external ID outside STS's rules (2–1224 characters of `[\\w+=,.@:/-]`); or STS's `ValidationError` on the customer hop (reason given, values redacted).",
  PARTITION_MISMATCH:
    "The role's partition (aws, aws-cn, aws-us-gov…) differs from the registry's, or either differs from the service's own: one deployment serves one partition.",
  EXTERNAL_ID_REQUIRED:
    'A role is given without an external ID while the service requires one (`ECR_AUTH_REQUIRE_EXTERNAL_ID`; always for POST /registry-auth/verify).',
  UNAUTHENTICATED: 'The bearer token is missing or wrong. Checked before anything else.',
  ACCOUNT_NOT_ALLOWED:
    "The role's account (for static keys the registry's) is outside `ECR_AUTH_ALLOWED_ACCOUNTS`, or outside what the caller reaches: the accounts its API token is bound to, or its JWT's matched claim rules.",
  OPERATOR_ONLY:
    'An operator route (`GET /metrics`, `GET /health/roles`, eviction outside the caller\'s own accounts) called by a tenant: an API token bound to accounts, or a JWT whose matched rules do not say `"operator": true`.',
  ASSUME_ROLE_DENIED:
    'STS refused the customer role: its trust policy or the external ID. Remembered for `ECR_AUTH_DENIED_CACHE_SECONDS`.',
  STS_REGION_DISABLED: 'STS is not activated in the region the service uses (`AWS_REGION`).',
  INVALID_STATIC_CREDENTIALS: 'The given access key pair is unknown, wrong or expired.',
  ECR_ACCESS_DENIED:
    'The credentials work but may not call `ecr:GetAuthorizationToken` (ECR Public: `ecr-public:GetAuthorizationToken` and `sts:GetServiceBearerToken`).',
  NOT_FOUND: 'No such route (or no such method on it).',
  REQUEST_TIMEOUT:
    'The client sent its headers (10 s) or its whole request (30 s) too slowly; the connection is closed. Written by the HTTP server before any route runs.',
  PAYLOAD_TOO_LARGE: 'The body is over `ECR_AUTH_MAX_BODY_BYTES` (default 16 KiB).',
  UNSUPPORTED_MEDIA_TYPE: 'A body that is not `application/json`.',
  UPSTREAM_TOKEN_TOO_SHORT:
    'ECR handed out a token with `ECR_AUTH_MIN_TTL_SECONDS` or less left (clock skew, an ending session): not served; the message gives the lifetime received.',
  RATE_LIMITED: 'The API token exceeded `ECR_AUTH_RATE_LIMIT_PER_MINUTE`; `Retry-After` says when to come back.',
  JUMP_ROLE_FAILED:
    "The service's own jump role could not be assumed (or its hop failed validation): an operator problem.",
  SERVICE_CREDENTIALS_INVALID:
    "The service's own identity (the AWS SDK's default chain) is missing, invalid or expired: an operator problem.",
  UPSTREAM_THROTTLED: 'STS or ECR still throttled after the retry budget; `Retry-After` is set.',
  UPSTREAM_UNAVAILABLE: 'STS or ECR failing (5xx, network) after the retry budget; `Retry-After` is set.',
  UPSTREAM_TIMEOUT: 'STS or ECR did not answer within the request deadline (`ECR_AUTH_REQUEST_DEADLINE_MS`).',
  INTERNAL: 'Anything else; logged with the request id.',
} as const satisfies Record<ErrorCode, string>;
