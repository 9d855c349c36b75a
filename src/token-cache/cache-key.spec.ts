import type { MintIdentity } from '../credentials/mint.types';
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
