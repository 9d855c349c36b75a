import { allRepositories, repositoryArnPartition } from './repository-arn';

describe('repositoryArnPartition', () => {
  it.each([
    ['a private repository', 'arn:aws:ecr:eu-west-1:123456789012:repository/team/app', 'private', 'aws'],
    ['wildcards in region, account and name', 'arn:aws:ecr:*:*:repository/team-*', 'private', 'aws'],
    ['China', 'arn:aws-cn:ecr:cn-north-1:123456789012:repository/app', 'private', 'aws-cn'],
    ['a public repository', 'arn:aws:ecr-public::123456789012:repository/app', 'public', 'aws'],
    ['a public ARN given as private', 'arn:aws:ecr-public::123456789012:repository/app', 'private', undefined],
    ['a private ARN given as public', 'arn:aws:ecr:eu-west-1:123456789012:repository/app', 'public', undefined],
    ['upper case names (ECR refuses them)', 'arn:aws:ecr:eu-west-1:123456789012:repository/App', 'private', undefined],
    ['a short account', 'arn:aws:ecr:eu-west-1:12345:repository/app', 'private', undefined],
    ['an unknown partition', 'arn:aws-mars:ecr:eu-west-1:123456789012:repository/app', 'private', undefined],
    ['a JSON breaker', 'arn:aws:ecr:eu-west-1:123456789012:repository/a"b', 'private', undefined],
    ['another resource type', 'arn:aws:ecr:eu-west-1:123456789012:registry/app', 'private', undefined],
    ['whitespace', 'arn:aws:ecr:eu-west-1:123456789012:repository/app ', 'private', undefined],
  ] as const)('%s', (_why, arn, kind, partition) => {
    expect(repositoryArnPartition(arn, kind)).toBe(partition);
  });

  it('names every repository of the partition when none is given', () => {
    expect(allRepositories('private', 'aws-us-gov')).toBe('arn:aws-us-gov:ecr:*:*:repository/*');
    expect(allRepositories('public', 'aws')).toBe('arn:aws:ecr-public::*:repository/*');
  });
});
