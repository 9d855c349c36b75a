import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { asCachedLogin, CachedLogin } from './cached-login';

/**
 * Seals cache entries for a store shared by replicas (Redis): AES-256-GCM, so what sits in the
 * store is neither readable nor forgeable without ECR_AUTH_CACHE_ENCRYPTION_KEY. Pure: no I/O.
 *
 * Format (ASCII, dot-separated): `v1.<kid>.<iv>.<ciphertext+tag>`
 * - `kid`: 6 base64url characters, a fingerprint derived from the key (not the key, and not
 *   usable to recover it) naming which configured key sealed the value;
 * - `iv`: 12 random bytes, base64url;
 * - ciphertext of the entry's JSON (validated again with asCachedLogin when opened) with the
 *   16-byte GCM tag appended, base64url.
 * The additional authenticated data binds the version, the kid and the cache key: a value
 * copied to another key, or with any byte changed, does not open.
 *
 * Rotation: the first key seals; every configured key opens (the kid picks it directly).
 * Each configured key is expanded with HKDF into a separate AES key and fingerprint, so the
 * same secret can also derive the cache-key HMAC (see CacheKeys) without key reuse.
 */
export class ValueCipher {
  static readonly VERSION = 'v1';
  private readonly keys: readonly DerivedKey[];

  /** @param keys 32-byte keys: the first seals, all open. */
  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0) throw new Error('ValueCipher needs at least one key');
    this.keys = keys.map((secret, i) => {
      if (secret.length !== 32) throw new Error(`ValueCipher key #${i + 1} is not 32 bytes`);
      return derive(secret);
    });
  }

  /** The fingerprints of the configured keys, in order (for logs: not secret). */
  get keyIds(): readonly string[] {
    return this.keys.map((k) => k.kid);
  }

  seal(cacheKey: string, value: CachedLogin): string {
    const { kid, aes } = this.keys[0];
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', aes, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(kid, cacheKey));
    // The whole entry, whatever fields CachedLogin carries; `open` re-validates it.
    const plain = Buffer.from(JSON.stringify(value), 'utf8');
    const sealed = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    plain.fill(0);
    return [ValueCipher.VERSION, kid, iv.toString('base64url'), sealed.toString('base64url')].join('.');
  }

  /** The entry, or undefined for anything tampered, foreign, truncated or under an unknown key. Never throws. */
  open(cacheKey: string, sealed: unknown): CachedLogin | undefined {
    try {
      if (typeof sealed !== 'string' || sealed.length > MAX_SEALED_CHARS) return undefined;
      const parts = sealed.split('.');
      if (parts.length !== 4 || parts[0] !== ValueCipher.VERSION) return undefined;
      const [, kid, ivText, bodyText] = parts;
      const iv = strictBase64url(ivText);
      const body = strictBase64url(bodyText);
      if (!iv || iv.length !== IV_BYTES || !body || body.length <= TAG_BYTES) return undefined;
      for (const key of this.keys) {
        if (key.kid !== kid) continue;
        const login = decrypt(key, kid, cacheKey, iv, body);
        if (login) return login;
      }
      return undefined;
    } catch {
      return undefined;
    }
  }
}

interface DerivedKey {
  readonly kid: string;
  readonly aes: Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Far above any real entry (an ECR token is ~2 KB): refuses to work on absurd input. */
const MAX_SEALED_CHARS = 64 * 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function derive(secret: Buffer): DerivedKey {
  const aes = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'ecr-auth cache values v1 aes-256-gcm', 32));
  const kid = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'ecr-auth cache values v1 key id', 4)).toString(
    'base64url',
  );
  return { kid, aes };
}

function aad(kid: string, cacheKey: string): Buffer {
  return Buffer.from(`ecr-auth ${ValueCipher.VERSION} ${kid} ${cacheKey}`, 'utf8');
}

/** Decodes only canonical base64url: Node's decoder skips bad characters and ignores spare bits. */
function strictBase64url(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

function decrypt(key: DerivedKey, kid: string, cacheKey: string, iv: Buffer, body: Buffer): CachedLogin | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.aes, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(kid, cacheKey));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
    const value: unknown = JSON.parse(plain.toString('utf8'));
    plain.fill(0);
    return asCachedLogin(value);
  } catch {
    return undefined;
  }
}
