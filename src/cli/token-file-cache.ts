import { createHash, randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import type { RegistryKey } from './config-key';
import { hasLifeLeft } from '../lifetime/lifetime.rule';

/** What the helper keeps per registry identity: the user's own secret, in a 0600 file. */
export interface CachedToken {
  readonly password: string;
  /** Epoch milliseconds after which ECR refuses the password. */
  readonly expiresAtMs: number;
}

/** The helper's cache, by key (a hash: see {@link cacheKeyOf}). Misses are `undefined`, never throws. */
export interface TokenCache {
  read(key: string): Promise<CachedToken | undefined>;
  write(key: string, token: CachedToken): Promise<void>;
}

/** Serve from the cache without asking the service while more than this is left. */
export const REFRESH_BUFFER_MS = 5 * 60_000;
/** When the service fails transiently, a cached token is served only while more than this is left. */
export const MIN_TTL_MS = 60_000;

/** Fresh: served without a network call. */
export function isFresh(token: CachedToken, nowMs: number): boolean {
  return hasLifeLeft(token.expiresAtMs, nowMs, REFRESH_BUFFER_MS);
}

/** Still worth handing out when the service cannot answer: never near or past its expiry. */
export function isServableStale(token: CachedToken, nowMs: number): boolean {
  return hasLifeLeft(token.expiresAtMs, nowMs, MIN_TTL_MS);
}

/**
 * The cache key: a SHA-256 of everything that decides which token the service hands out
 * (service endpoint, registry host, the whole registry key incl. external ID, access, session
 * tags and repositories, the API token). Hashing keeps every secret out of file names; a rotated
 * key or token is a miss, and so are other tags or repositories (the service mints them a
 * session of their own). Tags and repositories count as sets, as the service counts them.
 */
export function cacheKeyOf(endpoint: string, host: string, key: RegistryKey, apiToken: string | undefined): string {
  const fields = (Object.keys(key) as (keyof RegistryKey)[]).sort().map((k) => {
    const value = key[k];
    if (k === 'repositories') return [k, [...new Set(value as readonly string[])].sort()];
    if (k === 'sessionTags') {
      const tags = value as Readonly<Record<string, string>>;
      return [
        k,
        Object.keys(tags)
          .sort()
          .map((t) => [t, tags[t]]),
      ];
    }
    return [k, value];
  });
  return createHash('sha256')
    .update(JSON.stringify(['ecr-auth-helper/v1', endpoint, host, fields, apiToken ?? null]))
    .digest('hex');
}

/** `$ECR_AUTH_CACHE_DIR`, else `~/.ecr-auth/cache`; `undefined` (no cache) without a home. */
export function cacheDirOf(
  env: Readonly<Record<string, string | undefined>>,
  home: string | undefined,
): string | undefined {
  if (env.ECR_AUTH_CACHE_DIR) return env.ECR_AUTH_CACHE_DIR;
  return home ? `${home.replace(/\/+$/, '')}/.ecr-auth/cache` : undefined;
}

const KEY = /^[0-9a-f]{64}$/;
const MAX_FILE_BYTES = 64 * 1024;

/**
 * One JSON file per key in a directory of mode 0700; files are 0600, written to a temp file and
 * renamed into place, so a reader never sees half a file. A file that is not a regular file of
 * this user with mode 0600 (or stricter), or that does not hold the expected shape, is a miss.
 */
export class TokenFileCache implements TokenCache {
  constructor(private readonly dir: string | undefined) {}

  async read(key: string): Promise<CachedToken | undefined> {
    if (!this.dir || !KEY.test(key)) return undefined;
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(`${this.dir}/${key}.json`, constants.O_RDONLY | constants.O_NOFOLLOW);
      const stat = await handle.stat();
      if (!stat.isFile() || (stat.mode & 0o077) !== 0 || !ownedByMe(stat.uid) || stat.size > MAX_FILE_BYTES)
        return undefined;
      return parseEntry(await handle.readFile('utf8'));
    } catch {
      return undefined;
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }

  async write(key: string, token: CachedToken): Promise<void> {
    if (!this.dir || !KEY.test(key)) return;
    if (!(await this.ensureDir())) return;
    const target = `${this.dir}/${key}.json`;
    const temp = `${this.dir}/.${key}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const body = JSON.stringify({
      version: 1,
      password: token.password,
      expiresAt: new Date(token.expiresAtMs).toISOString(),
    });
    try {
      await fs.writeFile(temp, body, { mode: 0o600, flag: 'wx' });
      await fs.rename(temp, target);
    } catch {
      await fs.unlink(temp).catch(() => undefined);
    }
  }

  /** Creates the directory 0700, or tightens one of ours; refuses one owned by someone else. */
  private async ensureDir(): Promise<boolean> {
    const dir = this.dir!;
    try {
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      const stat = await fs.lstat(dir);
      if (!stat.isDirectory() || !ownedByMe(stat.uid)) return false;
      if ((stat.mode & 0o777) !== 0o700) await fs.chmod(dir, 0o700);
      return true;
    } catch {
      return false;
    }
  }
}

/** Parses a cache file's text; anything but the exact shape is a miss. */
export function parseEntry(text: string): CachedToken | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const { version, password, expiresAt } = json as Record<string, unknown>;
  if (version !== 1 || typeof password !== 'string' || password === '' || typeof expiresAt !== 'string')
    return undefined;
  const expiresAtMs = Date.parse(expiresAt);
  return Number.isFinite(expiresAtMs) ? { password, expiresAtMs } : undefined;
}

function ownedByMe(uid: number): boolean {
  return typeof process.getuid !== 'function' || uid === process.getuid();
}
