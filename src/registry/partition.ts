/**
 * AWS partitions: a role can only be assumed, and a registry only reached, with credentials of
 * its own partition. One deployment of ecr-auth serves one partition.
 */
export const PARTITIONS = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
] as const;

/** One AWS partition identifier, as it appears in ARNs. */
export type Partition = (typeof PARTITIONS)[number];

/** Whether `s` is one of the known partition identifiers (exact, lower-case). */
export function isPartition(s: unknown): s is Partition {
  return typeof s === 'string' && (PARTITIONS as readonly string[]).includes(s);
}

// `<area>-<one to three lower-case words>-<number>`: us-east-1, us-gov-west-1, eusc-de-east-1.
const REGION = /^[a-z]{2,4}(?:-[a-z]{1,16}){1,3}-\d{1,2}$/;

/** Whether `s` is a well-formed AWS region name (lower-case, e.g. `eu-west-1`). Syntax only. */
export function isRegion(s: unknown): s is string {
  return typeof s === 'string' && REGION.test(s);
}

// Prefixes reserved for a partition other than `aws`, after the SDK's partitions.json regexes.
// Longer prefixes that share a start (us-isob- vs us-iso-) are distinct because of the dash.
const REGION_PREFIXES: ReadonlyArray<readonly [string, Partition]> = [
  ['us-gov-', 'aws-us-gov'],
  ['cn-', 'aws-cn'],
  ['us-iso-', 'aws-iso'],
  ['us-isob-', 'aws-iso-b'],
  ['eu-isoe-', 'aws-iso-e'],
  ['us-isof-', 'aws-iso-f'],
  ['eusc-', 'aws-eusc'],
];

/**
 * The partition a region belongs to, or `undefined` when `region` is not a well-formed
 * region name. Every well-formed region without a reserved prefix is in `aws`, so regions
 * AWS opens later need no code change.
 */
export function partitionOfRegion(region: string): Partition | undefined {
  if (!isRegion(region)) return undefined;
  const hit = REGION_PREFIXES.find(([prefix]) => region.startsWith(prefix));
  return hit ? hit[1] : 'aws';
}
