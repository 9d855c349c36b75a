/**
 * The contract's error catalogue. `satisfies Record<ErrorCode, …>` makes a missing
 * entry a compile error, so the table and the union can never drift apart.
 */
export const ERROR_CODES = [
  'INVALID_REQUEST',
  'UNSUPPORTED_REGISTRY',
  'INVALID_REGISTRY_KEY',
  'PARTITION_MISMATCH',
  'EXTERNAL_ID_REQUIRED',
  'UNAUTHENTICATED',
  'ACCOUNT_NOT_ALLOWED',
  'OPERATOR_ONLY',
  'ASSUME_ROLE_DENIED',
  'STS_REGION_DISABLED',
  'INVALID_STATIC_CREDENTIALS',
  'ECR_ACCESS_DENIED',
  'NOT_FOUND',
  'REQUEST_TIMEOUT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'JUMP_ROLE_FAILED',
  'SERVICE_CREDENTIALS_INVALID',
  'UPSTREAM_TOKEN_TOO_SHORT',
  'UPSTREAM_THROTTLED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorSpec {
  /** HTTP status the code is answered with. */
  status: number;
  /** Whether the failure is transient upstream trouble: retried by the one retry layer. */
  retryable: boolean;
  /**
   * Whether a refresh failing with it is answered from a still-valid cached token
   * (stale-if-error): an outage of AWS or of the service's own identity or jump role, never a
   * refusal of the customer or of the request. Every retryable code serves stale.
   */
  servesStale: boolean;
  /** A refusal by STS that is remembered for ECR_AUTH_DENIED_CACHE_SECONDS. */
  remembered: boolean;
}

export const ERROR_CATALOGUE = {
  INVALID_REQUEST: { status: 400, retryable: false, servesStale: false, remembered: false },
  UNSUPPORTED_REGISTRY: { status: 400, retryable: false, servesStale: false, remembered: false },
  INVALID_REGISTRY_KEY: { status: 400, retryable: false, servesStale: false, remembered: false },
  PARTITION_MISMATCH: { status: 400, retryable: false, servesStale: false, remembered: false },
  EXTERNAL_ID_REQUIRED: { status: 400, retryable: false, servesStale: false, remembered: false },
  UNAUTHENTICATED: { status: 401, retryable: false, servesStale: false, remembered: false },
  ACCOUNT_NOT_ALLOWED: { status: 403, retryable: false, servesStale: false, remembered: false },
  OPERATOR_ONLY: { status: 403, retryable: false, servesStale: false, remembered: false },
  ASSUME_ROLE_DENIED: { status: 403, retryable: false, servesStale: false, remembered: true },
  STS_REGION_DISABLED: { status: 403, retryable: false, servesStale: false, remembered: false },
  INVALID_STATIC_CREDENTIALS: { status: 403, retryable: false, servesStale: false, remembered: true },
  ECR_ACCESS_DENIED: { status: 403, retryable: false, servesStale: false, remembered: true },
  NOT_FOUND: { status: 404, retryable: false, servesStale: false, remembered: false },
  REQUEST_TIMEOUT: { status: 408, retryable: false, servesStale: false, remembered: false },
  PAYLOAD_TOO_LARGE: { status: 413, retryable: false, servesStale: false, remembered: false },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retryable: false, servesStale: false, remembered: false },
  RATE_LIMITED: { status: 429, retryable: false, servesStale: false, remembered: false },
  JUMP_ROLE_FAILED: { status: 502, retryable: false, servesStale: true, remembered: false },
  SERVICE_CREDENTIALS_INVALID: { status: 502, retryable: false, servesStale: true, remembered: false },
  UPSTREAM_TOKEN_TOO_SHORT: { status: 502, retryable: false, servesStale: true, remembered: false },
  UPSTREAM_THROTTLED: { status: 503, retryable: true, servesStale: true, remembered: false },
  UPSTREAM_UNAVAILABLE: { status: 503, retryable: true, servesStale: true, remembered: false },
  UPSTREAM_TIMEOUT: { status: 504, retryable: true, servesStale: true, remembered: false },
  INTERNAL: { status: 500, retryable: false, servesStale: true, remembered: false },
} as const satisfies Record<ErrorCode, ErrorSpec>;
