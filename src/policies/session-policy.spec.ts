import { ACCESSES, REGISTRY_KINDS } from './ecr-actions';
import { DENY_ALL_SESSION_POLICY, SESSION_POLICY_MAX_LENGTH, sessionPolicy } from './session-policy';

const cases = ACCESSES.flatMap((access) => REGISTRY_KINDS.map((kind) => [access, kind] as const));

describe('sessionPolicy', () => {
  it.each(cases)("%s %s: compact JSON within STS's 2048 characters", (access, kind) => {
    const text = sessionPolicy(access, kind);
    expect(text.length).toBeLessThanOrEqual(SESSION_POLICY_MAX_LENGTH);
    expect(text).not.toMatch(/\s/);
    expect(JSON.parse(text).Version).toBe('2012-10-17');
  });

  it.each(cases)('%s %s: everything on "Resource": "*", login action included', (access, kind) => {
    const [statement, ...rest] = JSON.parse(sessionPolicy(access, kind)).Statement;
    expect(rest).toEqual([]);
    expect(statement).toMatchObject({ Effect: 'Allow', Resource: '*' });
    expect(statement.Action).toContain(
      kind === 'private' ? 'ecr:GetAuthorizationToken' : 'ecr-public:GetAuthorizationToken',
    );
  });

  it('pull may not push, push may', () => {
    expect(sessionPolicy('pull', 'private')).toContain('"ecr:BatchGetImage"');
    expect(sessionPolicy('pull', 'private')).not.toContain('ecr:PutImage');
    expect(sessionPolicy('push', 'private')).toContain('"ecr:PutImage"');
    expect(sessionPolicy('pull', 'public')).toContain('"sts:GetServiceBearerToken"');
    expect(sessionPolicy('push', 'public')).toContain('"ecr-public:PutImage"');
  });

  it('gives the same bytes every time', () => {
    expect(sessionPolicy('push', 'private')).toBe(sessionPolicy('push', 'private'));
  });

  it('the deny-all policy denies everything and allows nothing', () => {
    expect(JSON.parse(DENY_ALL_SESSION_POLICY).Statement).toEqual([{ Effect: 'Deny', Action: '*', Resource: '*' }]);
  });
});
