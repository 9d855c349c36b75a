import { EcrAuthError } from '../errors/ecr-auth.error';
import { INVALID_KEY_INPUTS, KeySummary, VALID_KEY_INPUTS } from '../../test/fixtures/registry-keys';
import { RegistryKey, RegistryKeyInput, checkExternalId, classifyRegistryKey } from './registry-key';

function summary(key: RegistryKey): KeySummary {
  if (key.kind === 'role') {
    return { kind: 'role', roleArn: key.role.arn, ...(key.externalId !== undefined && { externalId: key.externalId }) };
  }
  return { ...key };
}

function refusal(input: RegistryKeyInput): EcrAuthError {
  try {
    classifyRegistryKey(input);
  } catch (e) {
    if (e instanceof EcrAuthError) return e;
    throw e;
  }
  throw new Error('accepted');
}

/** The values a message must never carry. */
function secretsOf(input: RegistryKeyInput): string[] {
  return [input.externalId, input.secretAccessKey, input.sessionToken, input.password].filter(
    (v): v is string => typeof v === 'string' && v.length >= 4,
  );
}

describe('classifyRegistryKey', () => {
  it.each(VALID_KEY_INPUTS)('classifies $why', ({ input, expected }) => {
    expect(summary(classifyRegistryKey(input))).toStrictEqual(expected);
  });

  it('omits externalId, rather than setting it undefined, when absent', () => {
    expect(classifyRegistryKey({ roleArn: 'arn:aws:iam::123456789012:role/x' })).not.toHaveProperty('externalId');
  });

  it.each(INVALID_KEY_INPUTS)('refuses $why', ({ input, mentions }) => {
    const e = refusal(input);
    expect(e.code).toBe('INVALID_REGISTRY_KEY');
    expect(e.status).toBe(400);
    for (const phrase of mentions) expect(e.message).toContain(phrase);
    for (const secret of secretsOf(input)) expect(e.message).not.toContain(secret);
  });

  it('never echoes a malformed identity (it may be a misplaced secret)', () => {
    const e = refusal({ roleArn: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
    expect(e.message).not.toContain('wJalrXUtnFEMI');
  });

  it('ignores inherited properties', () => {
    const input = Object.create({ roleArn: 'arn:aws:iam::123456789012:role/x' }) as RegistryKeyInput;
    expect(refusal(input).message).toContain('missing');
  });

  it.each([null, undefined, 'roleArn', 42])('refuses a non-object %j', (input) => {
    expect(refusal(input as unknown as RegistryKeyInput).code).toBe('INVALID_REGISTRY_KEY');
  });
});

describe('checkExternalId', () => {
  it.each(['ab', 'ext-1', 'a:b/c@d.e,f=g+h_i-j', 'x'.repeat(1224)])('accepts %j', (id) => {
    expect(() => checkExternalId(id)).not.toThrow();
  });

  it.each(['', 'a', 'x'.repeat(1225), 'has space', 'tab\there', 'new\nline', 'semi;colon', 'quote"', 'caf\u00e9'])(
    'refuses %j without echoing it',
    (id) => {
      let caught: unknown;
      try {
        checkExternalId(id);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(EcrAuthError);
      const e = caught as EcrAuthError;
      expect(e.code).toBe('INVALID_REGISTRY_KEY');
      expect(e.message).toContain('externalId');
      if (id.length >= 2) expect(e.message).not.toContain(id);
    },
  );

  it('names the password field when the external ID came as password', () => {
    expect(() => checkExternalId('a', 'password')).toThrow(/password \(the external ID\)/);
  });
});
