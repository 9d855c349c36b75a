import { redactMessage } from '../errors/redact';

/**
 * Pure classification of what the AWS SDK throws, by error name and HTTP status (the SDK's
 * `$retryable` is often unset). Kept free of any message wording.
 */
export type AwsFailureKind =
  | 'throttled'
  | 'unavailable'
  | 'timeout'
  | 'access-denied'
  | 'validation'
  | 'caller-credentials'
  | 'caller-credentials-expired'
  | 'region-disabled'
  | 'policy-rejected'
  | 'unknown';

export interface AwsFailure {
  readonly kind: AwsFailureKind;
  /** The AWS error code (e.g. `AccessDenied`), for logs and metrics. */
  readonly name: string;
  readonly status?: number;
  /** The upstream message with values and URLs redacted. */
  readonly detail: string;
}

const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'SlowDown',
  'RequestThrottled',
  'RequestThrottledException',
]);
const UNAVAILABLE = new Set([
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalError',
  'InternalServerError',
  'ServerException',
  'IDPCommunicationError',
]);
const NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNABORTED',
]);
const TIMEOUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ETIMEDOUT', 'AbortError']);
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException']);
const VALIDATION = new Set([
  'ValidationError',
  'ValidationException',
  'InvalidParameterValue',
  'InvalidParameterException',
]);
const CALLER_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'CredentialsProviderError',
  'InvalidAccessKeyId',
]);
// STS answers `ExpiredToken` in practice and documents `ExpiredTokenException`: both count.
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);
const POLICY = new Set([
  'MalformedPolicyDocument',
  'MalformedPolicyDocumentException',
  'PackedPolicyTooLarge',
  'PackedPolicyTooLargeException',
]);

export function classifyAwsError(e: unknown): AwsFailure {
  const err = (e ?? {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const name = typeof err.name === 'string' ? err.name : 'Error';
  const code = typeof err.code === 'string' ? err.code : undefined;
  const status = err.$metadata?.httpStatusCode;
  const detail = redactMessage(typeof err.message === 'string' ? err.message : '');
  const failure = (kind: AwsFailureKind): AwsFailure => ({
    kind,
    name: code && kind !== 'unknown' && name === 'Error' ? code : name,
    status,
    detail,
  });

  if (THROTTLED.has(name) || status === 429) return failure('throttled');
  if (EXPIRED.has(name)) return failure('caller-credentials-expired');
  if (CALLER_CREDENTIALS.has(name)) return failure('caller-credentials');
  if (name === 'RegionDisabledException') return failure('region-disabled');
  if (ACCESS_DENIED.has(name)) return failure('access-denied');
  if (VALIDATION.has(name)) return failure('validation');
  if (POLICY.has(name)) return failure('policy-rejected');
  if (TIMEOUT.has(name) || (code !== undefined && TIMEOUT.has(code))) return failure('timeout');
  if (UNAVAILABLE.has(name) || (status !== undefined && status >= 500)) return failure('unavailable');
  if (
    (code !== undefined && NETWORK.has(code)) ||
    /socket hang up|ECONNRESET|ECONNREFUSED|EPIPE/.test(String(err.message))
  ) {
    return failure('unavailable');
  }
  return failure('unknown');
}
