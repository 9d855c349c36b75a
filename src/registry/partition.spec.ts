import { PARTITIONS, isPartition, isRegion, partitionOfRegion } from './partition';

describe('partitionOfRegion', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['eu-west-1', 'aws'],
    ['ap-southeast-4', 'aws'],
    ['il-central-1', 'aws'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-south-1', 'aws-iso-f'],
    ['eusc-de-east-1', 'aws-eusc'],
  ])('%s is in %s', (region, partition) => {
    expect(partitionOfRegion(region)).toBe(partition);
  });

  it.each([
    '',
    'us-east',
    'US-EAST-1',
    'us_east_1',
    'useast1',
    'us-east-1 ',
    'us-east-1.',
    '-east-1',
    'us--east-1',
    'us-east-123',
  ])('%j is not a region', (region) => {
    expect(isRegion(region)).toBe(false);
    expect(partitionOfRegion(region)).toBeUndefined();
  });
});

describe('isPartition', () => {
  it.each([...PARTITIONS])('%s is a partition', (p) => expect(isPartition(p)).toBe(true));
  it.each(['', 'AWS', 'aws-xx', 'aws-iso-c', '__proto__', 42])('%j is not', (p) => expect(isPartition(p)).toBe(false));
});
