import {
  REPOSITORY_BUDGET,
  REPOSITORY_COST,
  REPOSITORY_NAME,
  canonicalRepositories,
  repositoryBudgetUsed,
  scopedSessionPolicy,
} from './repository-scope';
import { PARTITIONS } from '../registry/partition';

describe('REPOSITORY_NAME (ECR, with * as a wildcard)', () => {
  it.each([
    ['one part', 'app', true],
    ['namespaced', 'team/app', true],
    ['separators inside a part', 'team/my_app.v2-x', true],
    ['a wildcard suffix', 'team/base-*', true],
    ['everything', '*', true],
    ['a wildcard part', 'team/*', true],
    ['upper case', 'Team/app', false],
    ['a leading slash', '/app', false],
    ['a trailing slash', 'app/', false],
    ['two separators in a row', 'a..b', false],
    ['a leading separator', '-app', false],
    ['an empty part', 'a//b', false],
    ['a ?', 'app?', false],
    ['a space', 'my app', false],
  ])('%s: %s', (_why, name, ok) => {
    expect(REPOSITORY_NAME.test(name)).toBe(ok);
  });
});

describe('scopedSessionPolicy', () => {
  const scope = {
    partition: 'aws' as const,
    region: 'eu-west-1',
    account: '222222222222',
    names: ['team/app', 'team/base-*'],
  };

  it('pull: the pull actions on each repository ARN, the login action alone on *', () => {
    expect(JSON.parse(scopedSessionPolicy('pull', scope, '2012-10-17'))).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'EcrAuthLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        {
          Sid: 'EcrAuthPull',
          Effect: 'Allow',
          Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
          Resource: [
            'arn:aws:ecr:eu-west-1:222222222222:repository/team/app',
            'arn:aws:ecr:eu-west-1:222222222222:repository/team/base-*',
          ],
        },
      ],
    });
  });

  it('push: pull actions and the upload actions', () => {
    const [, images] = JSON.parse(scopedSessionPolicy('push', scope, '2012-10-17')).Statement;
    expect(images.Action).toEqual(
      expect.arrayContaining([
        'ecr:BatchGetImage',
        'ecr:InitiateLayerUpload',
        'ecr:UploadLayerPart',
        'ecr:CompleteLayerUpload',
        'ecr:PutImage',
      ]),
    );
  });
});

describe('the repository budget', () => {
  const WORST = { partition: 'aws-us-gov' as const, region: 'x'.repeat(16), account: '123456789012' };

  /** Names of `length` characters, then one filler name, using the budget up to `over` past it. */
  function fill(length: number, over = 0): string[] {
    const names: string[] = [];
    while (repositoryBudgetUsed(names) + 2 * (length + REPOSITORY_COST) <= REPOSITORY_BUDGET)
      names.push(`${names.length}`.padStart(length, 'a'));
    names.push('z'.repeat(REPOSITORY_BUDGET - repositoryBudgetUsed(names) - REPOSITORY_COST + over));
    return names;
  }

  it('each repository costs its name plus 63 characters; the names may use 1683 (measured, see the docs)', () => {
    expect({ REPOSITORY_BUDGET, REPOSITORY_COST }).toEqual({ REPOSITORY_BUDGET: 1683, REPOSITORY_COST: 63 });
  });

  it.each([256, 30, 2])(
    'a list of %s-character names that uses the whole budget is 2048 characters in the worst case',
    (length) => {
      const names = fill(length);
      expect(repositoryBudgetUsed(names)).toBe(REPOSITORY_BUDGET);
      expect(scopedSessionPolicy('push', { ...WORST, names }, '2012-10-17')).toHaveLength(2048);
      for (const partition of PARTITIONS)
        expect(
          scopedSessionPolicy(
            'push',
            { partition, region: 'us-isob-east-1', account: '123456789012', names },
            '2012-10-17',
          ).length,
        ).toBeLessThanOrEqual(2048);
    },
  );

  it('one character over the budget is one over 2048 in the worst case: the bound is exact', () => {
    expect(scopedSessionPolicy('push', { ...WORST, names: fill(40, 1) }, '2012-10-17')).toHaveLength(2049);
  });
});

describe('canonicalRepositories', () => {
  it('sorts and drops repeats, so reordered lists are one list', () => {
    expect(canonicalRepositories(['b', 'a', 'b'])).toEqual(['a', 'b']);
    expect(canonicalRepositories(['team/x', 'app'])).toEqual(canonicalRepositories(['app', 'team/x']));
  });
});
