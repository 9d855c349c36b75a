import { trustPrincipalOf } from './service-identity';

describe('trustPrincipalOf', () => {
  it.each([
    [
      'an ECS task session becomes its role',
      'arn:aws:sts::111111111111:assumed-role/ecr-auth-task/0123abcd',
      'arn:aws:iam::111111111111:role/ecr-auth-task',
    ],
    [
      'in any partition',
      'arn:aws-cn:sts::111111111111:assumed-role/svc/i-0abc',
      'arn:aws-cn:iam::111111111111:role/svc',
    ],
    ['a user stays a user', 'arn:aws:iam::111111111111:user/ecr-auth', 'arn:aws:iam::111111111111:user/ecr-auth'],
    ['a role stays a role', 'arn:aws:iam::111111111111:role/a/b', 'arn:aws:iam::111111111111:role/a/b'],
    [
      'an unknown partition is left alone',
      'arn:aws-mars:sts::111111111111:assumed-role/x/y',
      'arn:aws-mars:sts::111111111111:assumed-role/x/y',
    ],
  ])('%s', (_why, input, expected) => {
    expect(trustPrincipalOf(input)).toBe(expected);
  });
});
