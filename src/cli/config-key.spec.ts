import { checkKey, sessionScopeOf } from './config-key';

const ROLE = 'arn:aws:iam::222222222222:role/ecr-pull';

describe('checkKey', () => {
  it.each([
    ['a role key', { roleArn: ROLE, externalId: 'ext-1' }],
    [
      'tags and repositories, however the service will judge them',
      { roleArn: ROLE, sessionTags: { '': '' }, repositories: [] },
    ],
    ['a static key with access', { accessKeyId: 'AKIA', secretAccessKey: 's', access: 'push' }],
  ])('takes %s', (_why, value) => {
    const problems: string[] = [];
    expect(checkKey(value, 'k', problems)).toEqual(value);
    expect(problems).toEqual([]);
  });

  it.each([
    [{ roleArn: ROLE, sessionTags: 'team=web' }, 'k.sessionTags must be an object of tag key to string value'],
    [{ roleArn: ROLE, sessionTags: null }, 'k.sessionTags must be an object of tag key to string value'],
    [{ roleArn: ROLE, sessionTags: { team: ['web'] } }, 'k.sessionTags must be an object of tag key to string value'],
    [{ roleArn: ROLE, repositories: { 0: 'team/app' } }, 'k.repositories must be a list of repository names'],
    [{ roleArn: ROLE, repositories: ['team/app', 1] }, 'k.repositories must be a list of repository names'],
    [{ roleArn: ROLE, tags: {} }, 'k: unknown field "tags"'],
  ])('refuses %j, naming the field and no value', (value, problem) => {
    const problems: string[] = [];
    expect(checkKey(value, 'k', problems)).toBeUndefined();
    expect(problems).toEqual([expect.stringContaining(problem)]);
  });

  it('copies and freezes what it returns', () => {
    const tags = { team: 'web' };
    const key = checkKey({ roleArn: ROLE, sessionTags: tags }, 'k', [])!;
    tags.team = 'changed';
    expect(key.sessionTags).toEqual({ team: 'web' });
    expect(Object.isFrozen(key)).toBe(true);
  });
});

describe('sessionScopeOf', () => {
  it.each([
    [undefined, {}],
    [{ roleArn: ROLE, externalId: 'e' }, {}],
    [
      { userName: ROLE, password: 'e', access: 'pull' as const, sessionTags: { a: 'b' }, repositories: ['r'] },
      { access: 'pull', sessionTags: { a: 'b' }, repositories: ['r'] },
    ],
  ])('of %j is %j: never a credential', (key, scope) => {
    expect(sessionScopeOf(key)).toEqual(scope);
  });
});
