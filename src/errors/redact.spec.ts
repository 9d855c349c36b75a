import { redactMessage } from './redact';

describe('redactMessage', () => {
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
    const out = redactMessage(message);
    expect(out).not.toContain(removed);
    expect(out).toContain(kept);
  });

  it('keeps role ARNs and field names: they say what failed', () => {
    const message =
      'User: arn:aws:sts::111111111111:assumed-role/jump/s is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/x';
    expect(redactMessage(message)).toBe(message);
  });

  it('puts the message on one line', () => {
    expect(redactMessage('first\r\nsecond\tthird\n')).toBe('first second third');
  });

  it('bounds the message to 400 characters', () => {
    expect(redactMessage('word '.repeat(200)).length).toBeLessThanOrEqual(400);
  });

  it('leaves 39 token characters alone and redacts 40', () => {
    expect(redactMessage(`x ${'a'.repeat(39)} y`)).toBe(`x ${'a'.repeat(39)} y`);
    expect(redactMessage(`x ${'a'.repeat(40)} y`)).toBe('x [redacted] y');
  });
});
