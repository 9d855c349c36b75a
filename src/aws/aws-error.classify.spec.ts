import { AwsFailureKind, classifyAwsError } from './aws-error.classify';

/** What the AWS SDK throws: an Error with an AWS name and response metadata. */
function awsError(
  name: string,
  status?: number,
  message = 'upstream says no',
  extra: Record<string, unknown> = {},
): Error {
  const e = Object.assign(
    new Error(message),
    extra,
    status === undefined ? {} : { $metadata: { httpStatusCode: status } },
  );
  e.name = name;
  return e;
}

describe('classifyAwsError by name', () => {
  it.each<[AwsFailureKind, string[]]>([
    [
      'throttled',
      [
        'Throttling',
        'ThrottlingException',
        'RequestLimitExceeded',
        'TooManyRequestsException',
        'SlowDown',
        'RequestThrottled',
        'RequestThrottledException',
      ],
    ],
    [
      'unavailable',
      [
        'ServiceUnavailable',
        'ServiceUnavailableException',
        'InternalFailure',
        'InternalError',
        'InternalServerError',
        'ServerException',
        'IDPCommunicationError',
      ],
    ],
    ['timeout', ['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']],
    ['access-denied', ['AccessDenied', 'AccessDeniedException']],
    ['validation', ['ValidationError', 'ValidationException', 'InvalidParameterValue', 'InvalidParameterException']],
    [
      'caller-credentials',
      [
        'InvalidClientTokenId',
        'SignatureDoesNotMatch',
        'UnrecognizedClientException',
        'InvalidSignatureException',
        'IncompleteSignature',
        'MissingAuthenticationToken',
        'CredentialsProviderError',
        'InvalidAccessKeyId',
      ],
    ],
    ['caller-credentials-expired', ['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']],
    ['region-disabled', ['RegionDisabledException']],
    [
      'policy-rejected',
      [
        'MalformedPolicyDocument',
        'MalformedPolicyDocumentException',
        'PackedPolicyTooLarge',
        'PackedPolicyTooLargeException',
      ],
    ],
    ['unknown', ['NoSuchEntity', 'Error', 'TypeError']],
  ])('%s: %j', (kind, names) => {
    for (const name of names) expect(classifyAwsError(awsError(name, 400))).toMatchObject({ kind, name, status: 400 });
  });
});

describe('classifyAwsError by status and code', () => {
  it.each<[string, Error, AwsFailureKind, string]>([
    ['HTTP 429 is throttling whatever the name', awsError('SomethingNew', 429), 'throttled', 'SomethingNew'],
    ['throttling wins over a 503', awsError('SlowDown', 503), 'throttled', 'SlowDown'],
    ['any 5xx is unavailable', awsError('SomethingNew', 502), 'unavailable', 'SomethingNew'],
    ['a 500 without a name is unavailable', awsError('Error', 500), 'unavailable', 'Error'],
    [
      'an expired token with a 403 is expiry, not denial',
      awsError('ExpiredToken', 403),
      'caller-credentials-expired',
      'ExpiredToken',
    ],
    [
      'a timeout code on a plain Error',
      awsError('Error', undefined, 'connect timed out', { code: 'ETIMEDOUT' }),
      'timeout',
      'ETIMEDOUT',
    ],
    ['a 4xx with an unknown name stays unknown', awsError('SomethingNew', 404), 'unknown', 'SomethingNew'],
  ])('%s', (_why, error, kind, name) => {
    expect(classifyAwsError(error)).toMatchObject({ kind, name });
  });

  it.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ENOTFOUND',
    'EAI_AGAIN',
    'ENETUNREACH',
    'EHOSTUNREACH',
    'ECONNABORTED',
  ])('network code %s is unavailable, named by its code', (code) => {
    expect(classifyAwsError(awsError('Error', undefined, 'network', { code }))).toMatchObject({
      kind: 'unavailable',
      name: code,
    });
  });

  it.each(['socket hang up', 'read ECONNRESET', 'connect ECONNREFUSED 10.0.0.1:443', 'write EPIPE'])(
    'a network message without a code (%s) is unavailable',
    (message) => expect(classifyAwsError(awsError('Error', undefined, message)).kind).toBe('unavailable'),
  );

  it('a DOMException from AbortSignal.timeout is a timeout', () => {
    expect(classifyAwsError(new DOMException('The operation timed out.', 'TimeoutError')).kind).toBe('timeout');
  });

  it('an unknown failure with a code keeps its name, not the code', () => {
    expect(classifyAwsError(awsError('Error', undefined, 'x', { code: 'EWHATEVER' }))).toMatchObject({
      kind: 'unknown',
      name: 'Error',
    });
  });

  it.each([undefined, null, 'a string', 42, {}])('survives a thrown %j', (thrown) => {
    expect(classifyAwsError(thrown)).toEqual({ kind: 'unknown', name: 'Error', status: undefined, detail: '' });
  });

  it('carries the redacted message as detail', () => {
    const f = classifyAwsError(
      awsError('ValidationError', 400, "Value 'ext-Qx7' at 'externalId' failed to satisfy constraint"),
    );
    expect(f.detail).toBe("Value [redacted] at 'externalId' failed to satisfy constraint");
  });
});
