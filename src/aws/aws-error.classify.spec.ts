import { AwsFailureKind, classifyAwsError, redactAwsMessage } from './aws-error.classify';

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

describe('redactAwsMessage', () => {
  it.each([
    [
      'a single-quoted value',
      "1 validation error detected: Value 'sec-Qx7-ext' at 'externalId' failed to satisfy constraint: Member must have length less than or equal to 1224",
      'sec-Qx7-ext',
      'failed to satisfy constraint: Member must have length less than or equal to 1224',
    ],
    [
      'a double-quoted value',
      'Value "sec-Qx7-ext" at "roleSessionName" failed to satisfy constraint',
      'sec-Qx7-ext',
      'failed to satisfy constraint',
    ],
    [
      'every quoted value',
      "2 validation errors detected: Value 'one-Qx7' at 'externalId' failed; Value 'two-Qx7' at 'roleArn' failed",
      'Qx7',
      '2 validation errors detected',
    ],
    [
      'a URL',
      'Could not connect to https://sts.us-east-1.amazonaws.com/?Action=AssumeRole&X-Amz-Credential=Qx7 after 3 tries',
      'Qx7',
      'after 3 tries',
    ],
    ['a plain http URL', 'Endpoint http://10.0.0.1:4566/Qx7 refused the request', 'Qx7', 'refused the request'],
    [
      'an AKIA access key id',
      'The security token AKIAIOSFODNN7EXAMPLE included in the request is invalid',
      'AKIAIOSFODNN7EXAMPLE',
      'included in the request is invalid',
    ],
    ['an ASIA access key id', 'Key ASIAIOSFODNN7EXAMPLE has expired', 'ASIAIOSFODNN7EXAMPLE', 'has expired'],
    [
      'a long token-like string',
      `The token FwoGZXIvYXdzEXAMPLE//////////wEaDEXAMPLETOKEN+abc= is expired`,
      'FwoGZXIvYXdzEXAMPLE',
      'is expired',
    ],
  ])('removes %s and keeps the reason', (_why, message, removed, kept) => {
    const out = redactAwsMessage(message);
    expect(out).not.toContain(removed);
    expect(out).toContain(kept);
  });

  it('keeps role ARNs and field names: they say what failed', () => {
    const message =
      'User: arn:aws:sts::111111111111:assumed-role/jump/s is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/x';
    expect(redactAwsMessage(message)).toBe(message);
  });

  it('puts the message on one line', () => {
    expect(redactAwsMessage('first\r\nsecond\tthird\n')).toBe('first second third');
  });

  it('bounds the message to 400 characters', () => {
    expect(redactAwsMessage('word '.repeat(200)).length).toBeLessThanOrEqual(400);
  });

  it('leaves 39 token characters alone and redacts 40', () => {
    expect(redactAwsMessage(`x ${'a'.repeat(39)} y`)).toBe(`x ${'a'.repeat(39)} y`);
    expect(redactAwsMessage(`x ${'a'.repeat(40)} y`)).toBe('x [redacted] y');
  });
});
