import { EcrAuthError } from '../errors/ecr-auth.error';
import { REFUSED_HOSTS, VALID_HOSTS } from '../../test/fixtures/registry-hosts';
import { parseRegistryHost } from './registry-host';

function refusal(input: string): EcrAuthError {
  try {
    parseRegistryHost(input);
  } catch (e) {
    if (e instanceof EcrAuthError) return e;
    throw e;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('parseRegistryHost', () => {
  it.each(VALID_HOSTS)('accepts $input ($why)', ({ input, expected }) => {
    expect(parseRegistryHost(input)).toMatchObject(expected);
  });

  it.each(VALID_HOSTS)('normalises $input to a host that parses to itself', ({ input }) => {
    const parsed = parseRegistryHost(input);
    expect(parsed.host).toBe(parsed.host.toLowerCase());
    expect(parseRegistryHost(parsed.host)).toEqual(parsed);
  });

  it.each(REFUSED_HOSTS)('refuses $input ($why)', ({ input }) => {
    const e = refusal(input);
    expect(e.code).toBe('UNSUPPORTED_REGISTRY');
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/Send the registry host as ECR shows it/);
  });

  it('names a clean host in the refusal', () => {
    expect(refusal('ghcr.io').message).toContain('"ghcr.io"');
  });

  it('does not echo control characters back', () => {
    expect(refusal('public.ecr.aws\r\nX-Injected: 1').message).not.toMatch(/[\r\n]|X-Injected/);
  });

  it('says why a region does not fit the suffix', () => {
    expect(refusal('123456789012.dkr.ecr.cn-north-1.amazonaws.com').message).toContain('partition aws-cn');
  });

  it('omits the account for public registries', () => {
    expect(parseRegistryHost('public.ecr.aws')).not.toHaveProperty('account');
  });

  it('refuses a non-string without a TypeError', () => {
    expect(refusal(undefined as unknown as string).code).toBe('UNSUPPORTED_REGISTRY');
  });
});

describe('refusals never echo a value that is not a host name', () => {
  it.each([
    ['an AWS secret access key', 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEYQx7'],
    ['a GitHub token', 'ghp_16C7e42F292c6912E7710c838347Ae178B4aQx7'],
    ['a secret with a dot', 'Qx7secret_part.another+part='],
    ['a short JWT', 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJRcTcifQ.c2lnbmF0dXJlUXg3'],
    [
      'a JWT',
      `eyJhbGciOiJFUzI1NiIsImtpZCI6IlF4NyJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YnVpbGRzOmFwcCJ9.${'Qx7'.repeat(29)}`,
    ],
  ])('%s', (_why, value) => {
    let message = '';
    try {
      parseRegistryHost(value);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^The registry address is not an Amazon ECR registry/);
    expect(message.toLowerCase()).not.toContain('qx7');
  });

  it('a host name is named, so the caller sees which one was refused', () => {
    expect(() => parseRegistryHost('registry.example.com')).toThrow(/Registry "registry.example.com"/);
  });
});
