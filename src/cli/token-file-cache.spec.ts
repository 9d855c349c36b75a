import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDirOf, cacheKeyOf, isFresh, isServableStale, parseEntry, TokenFileCache } from './token-file-cache';

const NOW = Date.parse('2026-11-25T12:00:00.000Z');
const MIN = 60_000;
const KEY = 'a'.repeat(64);

describe('cache rules', () => {
  it.each([
    [60 * MIN, true, true],
    [5 * MIN + 1, true, true],
    [5 * MIN, false, true],
    [61_000, false, true],
    [60_000, false, false],
    [0, false, false],
    [-MIN, false, false],
  ])('with %i ms left: fresh %s, servable through an outage %s', (left, fresh, stale) => {
    const token = { password: 'p', expiresAtMs: NOW + left };
    expect(isFresh(token, NOW)).toBe(fresh);
    expect(isServableStale(token, NOW)).toBe(stale);
  });
});

describe('cacheKeyOf', () => {
  const base = ['https://svc/registry-auth', 'h', { roleArn: 'arn', externalId: 'ext-1' }, 'tok'] as const;
  it('is a hex SHA-256 that holds no input', () => {
    const key = cacheKeyOf(...base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain('ext-1');
  });
  it('ignores field order and differs for every part of the identity', () => {
    expect(cacheKeyOf(base[0], base[1], { externalId: 'ext-1', roleArn: 'arn' }, base[3])).toBe(cacheKeyOf(...base));
    const variants = [
      cacheKeyOf('https://other/registry-auth', base[1], base[2], base[3]),
      cacheKeyOf(base[0], 'h2', base[2], base[3]),
      cacheKeyOf(base[0], base[1], { roleArn: 'arn', externalId: 'ext-2' }, base[3]),
      cacheKeyOf(base[0], base[1], { ...base[2], access: 'pull' }, base[3]),
      cacheKeyOf(base[0], base[1], base[2], 'tok2'),
      cacheKeyOf(base[0], base[1], base[2], undefined),
      cacheKeyOf(base[0], base[1], { ...base[2], sessionTags: { team: 'web' } }, base[3]),
      cacheKeyOf(base[0], base[1], { ...base[2], sessionTags: { team: 'api' } }, base[3]),
      cacheKeyOf(base[0], base[1], { ...base[2], sessionTags: {} }, base[3]),
      cacheKeyOf(base[0], base[1], { ...base[2], repositories: ['team/app'] }, base[3]),
      cacheKeyOf(base[0], base[1], { ...base[2], repositories: ['team/app', 'team/base'] }, base[3]),
    ];
    expect(new Set([cacheKeyOf(...base), ...variants]).size).toBe(variants.length + 1);
  });
  it('counts tags and repositories as sets, as the service does', () => {
    const key = (extra: object) => cacheKeyOf(base[0], base[1], { ...base[2], ...extra }, base[3]);
    expect(key({ sessionTags: { team: 'web', pipeline: 'nightly' } })).toBe(
      key({ sessionTags: { pipeline: 'nightly', team: 'web' } }),
    );
    expect(key({ repositories: ['team/base', 'team/app', 'team/app'] })).toBe(
      key({ repositories: ['team/app', 'team/base'] }),
    );
  });
});

describe('cacheDirOf', () => {
  it('prefers ECR_AUTH_CACHE_DIR, else ~/.ecr-auth/cache, else none', () => {
    expect(cacheDirOf({ ECR_AUTH_CACHE_DIR: '/c' }, '/home/u')).toBe('/c');
    expect(cacheDirOf({}, '/home/u/')).toBe('/home/u/.ecr-auth/cache');
    expect(cacheDirOf({}, undefined)).toBeUndefined();
  });
});

describe('parseEntry', () => {
  it.each([
    ['not JSON', 'nope'],
    ['an array', '[]'],
    ['no version', '{"password":"p","expiresAt":"2026-11-25T13:00:00Z"}'],
    ['a numeric expiry', '{"version":1,"password":"p","expiresAt":1}'],
    ['a bad date', '{"version":1,"password":"p","expiresAt":"soon"}'],
    ['an empty password', '{"version":1,"password":"","expiresAt":"2026-11-25T13:00:00Z"}'],
  ])('misses on %s', (_why, text) => {
    expect(parseEntry(text)).toBeUndefined();
  });
});

describe('TokenFileCache on disk', () => {
  let root: string;
  let dir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ecr-auth-cache-'));
    dir = join(root, 'home', '.ecr-auth', 'cache');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes 0600 files in a 0700 directory and reads them back', async () => {
    const cache = new TokenFileCache(dir);
    await cache.write(KEY, { password: 'pw', expiresAtMs: NOW });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, `${KEY}.json`)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, `${KEY}.json`), 'utf8'))).toEqual({
      version: 1,
      password: 'pw',
      expiresAt: '2026-11-25T12:00:00.000Z',
    });
    expect(await cache.read(KEY)).toEqual({ password: 'pw', expiresAtMs: NOW });
    expect(readdirSync(dir)).toEqual([`${KEY}.json`]);
  });

  it('replaces an entry atomically and tightens a loose directory of its own', async () => {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chmodSync(dir, 0o755);
    const cache = new TokenFileCache(dir);
    await cache.write(KEY, { password: 'one', expiresAtMs: NOW });
    await cache.write(KEY, { password: 'two', expiresAtMs: NOW });
    expect((await cache.read(KEY))?.password).toBe('two');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual([`${KEY}.json`]);
  });

  it.each([
    ['corrupt JSON', (f: string) => writeFileSync(f, '{"version":1,', { mode: 0o600 })],
    ['a foreign shape', (f: string) => writeFileSync(f, '{"token":"x"}', { mode: 0o600 })],
    [
      'a group-readable file',
      (f: string) => {
        writeFileSync(f, JSON.stringify({ version: 1, password: 'p', expiresAt: '2026-11-25T13:00:00Z' }));
        chmodSync(f, 0o640);
      },
    ],
    [
      'a symlink',
      (f: string) => {
        writeFileSync(`${f}.real`, JSON.stringify({ version: 1, password: 'p', expiresAt: '2026-11-25T13:00:00Z' }), {
          mode: 0o600,
        });
        symlinkSync(`${f}.real`, f);
      },
    ],
    ['a directory', (f: string) => mkdirSync(f)],
  ])('misses on %s', async (_why, plant) => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    plant(join(dir, `${KEY}.json`));
    expect(await new TokenFileCache(dir).read(KEY)).toBeUndefined();
  });

  it('misses on an absent file, a key that is not a hash, or no directory at all', async () => {
    expect(await new TokenFileCache(dir).read(KEY)).toBeUndefined();
    expect(await new TokenFileCache(dir).read('../../etc/passwd')).toBeUndefined();
    await new TokenFileCache(undefined).write(KEY, { password: 'p', expiresAtMs: NOW });
    expect(await new TokenFileCache(undefined).read(KEY)).toBeUndefined();
  });

  it('does not write through a symlinked directory, and never throws', async () => {
    mkdirSync(join(root, 'elsewhere'));
    mkdirSync(join(root, 'home', '.ecr-auth'), { recursive: true });
    symlinkSync(join(root, 'elsewhere'), dir);
    await expect(new TokenFileCache(dir).write(KEY, { password: 'p', expiresAtMs: NOW })).resolves.toBeUndefined();
    expect(readdirSync(join(root, 'elsewhere'))).toEqual([]);
  });

  it('never throws when the directory cannot be created', async () => {
    writeFileSync(join(root, 'file'), '');
    await expect(
      new TokenFileCache(join(root, 'file', 'cache')).write(KEY, { password: 'p', expiresAtMs: NOW }),
    ).resolves.toBeUndefined();
  });
});
