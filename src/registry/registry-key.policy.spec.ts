import { EcrAuthError } from '../errors/ecr-auth.error';
import { Partition } from './partition';
import { RegistryHost, parseRegistryHost } from './registry-host';
import { RegistryKey, classifyRegistryKey } from './registry-key';
import { KeyPolicyOptions, assertKeyFitsRegistry } from './registry-key.policy';

const EXTERNAL_ID = 'ext-SECRET-7f3a';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

const role = (partition: Partition, externalId?: string): RegistryKey =>
  classifyRegistryKey({ roleArn: `arn:${partition}:iam::123456789012:role/ecr-pull`, externalId });
const staticKey: RegistryKey = classifyRegistryKey({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET });

const HOSTS: Record<string, RegistryHost> = {
  aws: parseRegistryHost('123456789012.dkr.ecr.eu-west-1.amazonaws.com'),
  public: parseRegistryHost('public.ecr.aws'),
  cn: parseRegistryHost('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn'),
  gov: parseRegistryHost('123456789012.dkr.ecr.us-gov-west-1.amazonaws.com'),
};

const opts = (servicePartition: Partition, requireExternalId = true): KeyPolicyOptions => ({
  servicePartition,
  requireExternalId,
});

function refusal(key: RegistryKey, host: RegistryHost, o: KeyPolicyOptions): EcrAuthError {
  try {
    assertKeyFitsRegistry(key, host, o);
  } catch (e) {
    if (e instanceof EcrAuthError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('assertKeyFitsRegistry', () => {
  it.each([
    ['a role with external ID in its own partition', role('aws', EXTERNAL_ID), HOSTS.aws, opts('aws')],
    ['a role for ECR Public (partition aws)', role('aws', EXTERNAL_ID), HOSTS.public, opts('aws')],
    ['a China role for a China registry, China deployment', role('aws-cn', EXTERNAL_ID), HOSTS.cn, opts('aws-cn')],
    ['a GovCloud role for a GovCloud registry', role('aws-us-gov', EXTERNAL_ID), HOSTS.gov, opts('aws-us-gov')],
    ['a role without external ID when not required', role('aws'), HOSTS.aws, opts('aws', false)],
    ['a static key in the service partition', staticKey, HOSTS.aws, opts('aws')],
    ['a static key needs no external ID', staticKey, HOSTS.public, opts('aws', true)],
  ])('accepts %s', (_why, key, host, o) => {
    expect(() => assertKeyFitsRegistry(key, host, o)).not.toThrow();
  });

  it.each([
    ['role aws-cn, registry aws', role('aws-cn', EXTERNAL_ID), HOSTS.aws, opts('aws'), ['aws-cn', 'aws']],
    ['role aws, registry aws-us-gov', role('aws', EXTERNAL_ID), HOSTS.gov, opts('aws'), ['aws-us-gov']],
    [
      'role and registry aws-cn, service aws',
      role('aws-cn', EXTERNAL_ID),
      HOSTS.cn,
      opts('aws'),
      ['one deployment serves one partition', 'aws-cn'],
    ],
    [
      'role and registry aws, service aws-cn',
      role('aws', EXTERNAL_ID),
      HOSTS.aws,
      opts('aws-cn'),
      ['one deployment serves one partition'],
    ],
    ['static key for a China registry, service aws', staticKey, HOSTS.cn, opts('aws'), ['aws-cn', 'aws']],
    ['static key for ECR Public, service aws-us-gov', staticKey, HOSTS.public, opts('aws-us-gov'), ['aws-us-gov']],
  ])('refuses %s with PARTITION_MISMATCH', (_why, key, host, o, mentions) => {
    const e = refusal(key, host, o);
    expect(e.code).toBe('PARTITION_MISMATCH');
    for (const m of mentions) expect(e.message).toContain(m);
    expect(e.message).not.toContain(EXTERNAL_ID);
    expect(e.message).not.toContain(SECRET);
  });

  it('checks partitions before the external ID', () => {
    expect(refusal(role('aws-cn'), HOSTS.aws, opts('aws')).code).toBe('PARTITION_MISMATCH');
  });

  it('refuses a role without external ID when required', () => {
    const e = refusal(role('aws'), HOSTS.aws, opts('aws', true));
    expect(e.code).toBe('EXTERNAL_ID_REQUIRED');
    expect(e.status).toBe(400);
    expect(e.message).toContain('sts:ExternalId');
    expect(e.message).toContain('arn:aws:iam::123456789012:role/ecr-pull');
  });
});
