import { parseRoleArn } from '../registry/role-arn';
import { sessionKey } from './session-key';

const role = parseRoleArn('arn:aws:iam::222222222222:role/ecr-pull')!;

describe('sessionKey', () => {
  it('differs by external ID, policy, SourceIdentity and tags, never showing them', () => {
    const base = { role, externalId: 'ext-id-aaaa', policy: '{"policy":1}' };
    const all = [
      sessionKey(base),
      sessionKey({ ...base, externalId: 'ext-id-bbbb' }),
      sessionKey({ ...base, policy: undefined }),
      sessionKey({ ...base, sourceIdentity: 'ci' }),
      sessionKey({ ...base, sessionTags: [{ key: 'pipeline', value: 'nightly' }] }),
      sessionKey({ ...base, sessionTags: [{ key: 'pipeline', value: 'weekly' }] }),
    ];
    expect(new Set(all).size).toBe(all.length);
    expect(all.join()).not.toMatch(/nightly|weekly|ext-id|policy/);
    expect(sessionKey(base)).toBe(sessionKey({ ...base }));
  });
});
