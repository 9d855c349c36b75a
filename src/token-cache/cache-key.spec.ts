import type { MintIdentity } from '../mint/mint.types';
import { parseRegistryHost } from '../registry/registry-host';
import { classifyRegistryKey } from '../registry/registry-key';
import { CacheKeys } from './cache-key';

const ROLE = 'arn:aws:iam::222222222222:role/ecr-pull';
const role = (registry: string, externalId: string, access?: 'pull' | 'push'): MintIdentity => ({
  host: parseRegistryHost(registry),
  key: classifyRegistryKey({ roleArn: ROLE, externalId }),
  access,
});
const fixed = Buffer.alloc(32, 7);

describe('cache keys', () => {
  const keys = new CacheKeys(fixed);
  const base = role('222222222222.dkr.ecr.eu-west-1.amazonaws.com', 'ext-id-aaaa');

  it.each([
    ['another external ID', role('222222222222.dkr.ecr.eu-west-1.amazonaws.com', 'ext-id-bbbb')],
    ['another region', role('222222222222.dkr.ecr.eu-west-2.amazonaws.com', 'ext-id-aaaa')],
    ['FIPS', role('222222222222.dkr.ecr-fips.us-east-1.amazonaws.com', 'ext-id-aaaa')],
    ['public', role('public.ecr.aws', 'ext-id-aaaa')],
    ['pull scope', role('222222222222.dkr.ecr.eu-west-1.amazonaws.com', 'ext-id-aaaa', 'pull')],
    ['push scope', role('222222222222.dkr.ecr.eu-west-1.amazonaws.com', 'ext-id-aaaa', 'push')],
  ])('differs for %s', (_why, other) => {
    expect(keys.token(other)).not.toBe(keys.token(base));
  });

  it('is the same for the same identity, and across replicas sharing the key material', () => {
    expect(keys.token(base)).toBe(
      new CacheKeys(fixed).token(role('222222222222.dkr.ecr.eu-west-1.amazonaws.com', 'ext-id-aaaa')),
    );
    expect(new CacheKeys().token(base)).not.toBe(keys.token(base));
  });

  it('an identity object keeps its key (computed once), and an equal copy gets the same key', () => {
    const first = keys.token(base);
    expect(keys.token(base)).toBe(first);
    expect(keys.token({ ...base })).toBe(first);
  });

  it('static keys differ by secret and session token, and never show them', () => {
    const host = parseRegistryHost('666666666666.dkr.ecr.us-west-2.amazonaws.com');
    const stat = (secretAccessKey: string, sessionToken?: string): MintIdentity => ({
      host,
      key: classifyRegistryKey({ accessKeyId: 'AKIASTATIC0000000001', secretAccessKey, sessionToken }),
    });
    const a = keys.token(stat('secretAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'));
    expect(a).not.toBe(keys.token(stat('secretBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB')));
    expect(a).not.toBe(keys.token(stat('secretAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'session-token-xxxxxxxxxxxx')));
    expect(a).toMatch(/^tok:[\w-]{43}$/);
    expect(a).not.toContain('AKIA');
  });

  it('labels name the registry and the role, which are not secrets', () => {
    expect(keys.labels(base)).toEqual(['registry:222222222222.dkr.ecr.eu-west-1.amazonaws.com', `role:${ROLE}`]);
  });
});

describe('cache keys: SourceIdentity, session tags, repositories', () => {
  const keys = new CacheKeys(fixed);
  const base = role('222222222222.dkr.ecr.eu-west-1.amazonaws.com', 'ext-id-aaaa', 'pull');
  const tagged = (tags: Array<[string, string]>): MintIdentity => ({
    ...base,
    sessionTags: tags.map(([key, value]) => ({ key, value })),
  });

  it.each([
    ['a SourceIdentity', { ...base, sourceIdentity: 'ci-nightly' }],
    ['another SourceIdentity', { ...base, sourceIdentity: 'ci-weekly' }],
    ['tags', tagged([['pipeline', 'nightly']])],
    ['an empty tag value', tagged([['pipeline', '']])],
    ['repositories', { ...base, repositories: ['team/app'] }],
    ['other repositories', { ...base, repositories: ['team/app', 'team/base'] }],
    // Tuples that would read alike if parts were merely joined.
    ['a tag that looks like two', tagged([['a', 'b;1:c']])],
    ['a SourceIdentity that looks like a tag count', { ...base, sourceIdentity: 'tags:0' }],
  ])('%s makes another key than none', (_why, other) => {
    expect(keys.token(other)).not.toBe(keys.token(base));
  });

  it('every variant is a key of its own', () => {
    const variants: MintIdentity[] = [
      base,
      { ...base, sourceIdentity: 'ci' },
      tagged([['pipeline', 'nightly']]),
      tagged([['pipeline', 'weekly']]),
      tagged([
        ['pipeline', 'nightly'],
        ['team', 'a'],
      ]),
      { ...base, repositories: ['a'] },
      { ...base, repositories: ['a', 'b'] },
      { ...base, access: 'push', repositories: ['a'] },
    ];
    expect(new Set(variants.map((v) => keys.token(v))).size).toBe(variants.length);
  });

  it('the same tags and repositories give the same key', () => {
    expect(keys.token(tagged([['pipeline', 'nightly']]))).toBe(keys.token(tagged([['pipeline', 'nightly']])));
    expect(keys.token({ ...base, repositories: ['a', 'b'] })).toBe(keys.token({ ...base, repositories: ['a', 'b'] }));
  });

  it('labels stay the registry and the role: eviction by role reaches every variant', () => {
    expect(keys.labels({ ...tagged([['pipeline', 'x']]), sourceIdentity: 'ci', repositories: ['a'] })).toEqual(
      keys.labels(base),
    );
  });
});
