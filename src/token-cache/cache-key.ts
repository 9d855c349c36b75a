import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { MintIdentity } from '../mint/mint.types';

/**
 * Derives the keys of the cache: an HMAC over everything that decides a token, so that two
 * callers that differ in anything STS or ECR would judge never share an entry, and no
 * secret or external ID is ever visible in a key (in process or in Redis).
 */
export class CacheKeys {
  private readonly secret: Buffer;
  /**
   * One registry label string per parsed host (hosts are shared by the parse cache): every
   * record of a registry holds the same string, not a copy each.
   */
  private readonly registryLabels = new WeakMap<object, string>();
  /**
   * The key of an identity object, computed once: identities are immutable, and a caller that
   * repeats a request gets the same identity object back (api/identity.memo.ts), so a cache hit
   * costs no HMAC. Weak: the key lives exactly as long as its identity.
   */
  private readonly tokenKeys = new WeakMap<MintIdentity, string>();

  /**
   * @param sharedSecret when replicas share a cache, the key material they share
   *   (derived from ECR_AUTH_CACHE_ENCRYPTION_KEY); otherwise a per-process random key.
   */
  constructor(sharedSecret?: Buffer) {
    this.secret = sharedSecret
      ? Buffer.from(hkdfSync('sha256', sharedSecret, Buffer.alloc(0), 'ecr-auth cache keys v1', 32))
      : randomBytes(32);
  }

  /** The token entry's key. */
  token(identity: MintIdentity): string {
    let key = this.tokenKeys.get(identity);
    if (key === undefined) this.tokenKeys.set(identity, (key = `tok:${this.mac(identityParts(identity))}`));
    return key;
  }

  /** Non-secret labels an entry can be evicted by. */
  labels(identity: MintIdentity): string[] {
    const labels = [this.registryLabel(identity)];
    if (identity.key.kind === 'role') labels.push(`role:${identity.key.role.arn}`);
    return labels;
  }

  /** The label of the registry host a request asked for. */
  registryLabel(identity: MintIdentity): string {
    let label = this.registryLabels.get(identity.host);
    if (label === undefined) this.registryLabels.set(identity.host, (label = `registry:${identity.host.host}`));
    return label;
  }

  private mac(parts: readonly string[]): string {
    // Length-prefixed parts: no two different tuples can produce the same input. One
    // update: each update is a native call, and this runs on every request.
    let input = '';
    for (const p of parts) input += `${p.length}:${p};`;
    return createHmac('sha256', this.secret).update(input).digest('base64url');
  }
}

function identityParts(identity: MintIdentity): string[] {
  const { host, key, access } = identity;
  const where = [host.partition, host.kind, host.region, host.fips ? 'fips' : '', host.dualStack ? 'dual' : ''];
  if (key.kind === 'role') {
    const repositories = identity.repositories ?? [];
    return [
      ...where,
      'role',
      key.role.arn,
      key.externalId ?? '',
      access ?? 'any',
      ...auditParts(identity),
      `repositories:${repositories.length}`,
      ...repositories,
    ];
  }
  return [...where, 'static', key.accessKeyId, key.secretAccessKey, key.sessionToken ?? ''];
}

/** SourceIdentity and tags (already in canonical order), counted so no two tuples read alike. */
function auditParts({ sourceIdentity, sessionTags }: Pick<MintIdentity, 'sourceIdentity' | 'sessionTags'>): string[] {
  const tags = sessionTags ?? [];
  return [
    sourceIdentity === undefined ? 'no-source-identity' : `source-identity:${sourceIdentity}`,
    `tags:${tags.length}`,
    ...tags.flatMap((t) => [t.key, t.value]),
  ];
}
