/** ARN, partition and host-suffix rules the emulator needs. */

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];

/** Parses `arn:partition:service:region:account:resource`; undefined when malformed. */
export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  const resource = parts.slice(5).join(':');
  if (!PARTITIONS.includes(partition) || !service || !resource) return undefined;
  if (account !== '' && !/^\d{12}$/.test(account)) return undefined;
  return { partition, service, region, account, resource };
}

/** Parses an IAM role ARN: `arn:<p>:iam::<account>:role/<path/>name`. */
export function parseRoleArn(arn: string): (ParsedArn & { roleName: string }) | undefined {
  const p = parseArn(arn);
  if (!p || p.service !== 'iam' || p.region !== '' || !p.account || !p.resource.startsWith('role/')) return undefined;
  const roleName = p.resource.split('/').pop() ?? '';
  if (!/^[\w+=,.@-]{1,64}$/.test(roleName)) return undefined;
  return { ...p, roleName };
}

/** The partition a region belongs to (by its name prefix). */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

const DNS_SUFFIX: Record<string, string> = {
  aws: 'amazonaws.com',
  'aws-us-gov': 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-iso': 'c2s.ic.gov',
  'aws-iso-b': 'sc2s.sgov.gov',
  'aws-iso-e': 'cloud.adc-e.uk',
  'aws-iso-f': 'csp.hci.ic.gov',
  'aws-eusc': 'amazonaws.eu',
};

/** `https://<account>.dkr.ecr.<region>.<suffix>` as ECR's `proxyEndpoint`. */
export function ecrProxyEndpoint(account: string, region: string): string {
  return `https://${account}.dkr.ecr.${region}.${DNS_SUFFIX[partitionOfRegion(region)] ?? 'amazonaws.com'}`;
}
